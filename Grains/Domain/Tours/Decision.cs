using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// What a command decided: a refusal, or the entries to store and how to answer from the tour they make. Deciding
/// is pure (the model, the command, the facts and the time in; entries out), so every rule is tested without a
/// cluster, and the grain only stores, publishes and answers.
/// </summary>
public sealed record Decision<T>
{
    public Outcome<T>? Failure { get; init; }
    public ImmutableArray<TourEntry> Entries { get; init; } = [];
    public Func<TourModel, T>? Answer { get; init; }
    /// <summary>The id of what the command created, so a retry with the same idempotency key can answer the same.</summary>
    public string? Subject { get; init; }
    /// <summary>Tokens the answer shows once; kept (encrypted with the idempotency key) only for a retry.</summary>
    public ImmutableArray<IssuedToken> Tokens { get; init; } = [];
    /// <summary>Conflicts that did not block the command but that the caller should see.</summary>
    public ImmutableArray<Conflict> Warnings { get; init; } = [];

    public static implicit operator Decision<T>(Outcome<T> failure) => new() { Failure = failure };

    public static Decision<T> Store(TourEntry entry, Func<TourModel, T> answer, string? subject = null, ImmutableArray<IssuedToken> tokens = default) =>
        new() { Entries = [entry], Answer = answer, Subject = subject, Tokens = tokens.IsDefault ? [] : tokens };

    public static Decision<T> Store(ImmutableArray<TourEntry> entries, Func<TourModel, T> answer, string? subject = null) =>
        new() { Entries = entries, Answer = answer, Subject = subject };

    /// <summary>Nothing to store: the answer comes from the tour as it is.</summary>
    public static Decision<T> Unchanged(T value) => new() { Answer = _ => value };
}

/// <summary>A token handed out by a command (shown once).</summary>
public readonly record struct IssuedToken(string PersonId, string TokenId, string Token);

/// <summary>
/// Tokens of a first answer, encrypted for a retry: AES-GCM under a key derived from the client's idempotency key,
/// which the server never stores (only its hash). A copy of the store alone cannot read them.
/// </summary>
public static class ReplaySeal
{
    public static string KeyHash(string idempotencyKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("idempotency:" + idempotencyKey)));

    public static byte[] Seal(string idempotencyKey, ImmutableArray<IssuedToken> tokens)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(tokens.Select(t => new[] { t.PersonId, t.TokenId, t.Token }).ToArray());
        var nonce = RandomNumberGenerator.GetBytes(12);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(Key(idempotencyKey), 16)) aes.Encrypt(nonce, plain, cipher, tag);
        return [.. nonce, .. tag, .. cipher];
    }

    public static ImmutableArray<IssuedToken> Open(string idempotencyKey, byte[] sealedTokens)
    {
        var (nonce, tag, cipher) = (sealedTokens[..12], sealedTokens[12..28], sealedTokens[28..]);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(Key(idempotencyKey), 16)) aes.Decrypt(nonce, cipher, tag, plain);
        return [.. JsonSerializer.Deserialize<string[][]>(plain)!.Select(t => new IssuedToken(t[0], t[1], t[2]))];
    }

    private static byte[] Key(string idempotencyKey) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(idempotencyKey), 32, info: "TourPlanner replay tokens v1"u8.ToArray());
}
