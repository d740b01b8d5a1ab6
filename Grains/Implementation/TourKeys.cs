using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Orleans.Storage;

namespace TourPlanner.Grains.Implementation;

/// <summary>One data key of a tour, as stored: wrapped by the key ring (<see cref="ITourKeyProtector"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record WrappedKey
{
    [Id(0)] public required string Id { get; init; }
    /// <summary>What it seals: <c>tour</c>, or <c>host/{hostId}</c> for one group's contacts.</summary>
    [Id(1)] public required string Scope { get; init; }
    [Id(2)] public required byte[] Wrapped { get; init; }
    [Id(3)] public Instant CreatedAt { get; init; }
}

/// <summary>A tour's data keys: one row of its own ("tourkeys", tourId), apart from the log segments it unlocks.</summary>
[GenerateSerializer, Immutable]
public sealed record TourKeyRing
{
    [Id(0)] public ImmutableArray<WrappedKey> Keys { get; init; } = [];
}

/// <summary>
/// The data keys that seal a tour's private data (crypto-shredding): AES-256-GCM keys, random per tour and per host
/// group's contacts, each stored wrapped by ASP.NET Core Data Protection. Destroying a key makes everything it sealed
/// unreadable in every log segment at once. A key wrapped under an older key ring key is re-wrapped on load, so key
/// ring rotation needs no downtime and old data stays readable.
/// </summary>
public sealed class TourKeys(IGrainStorage storage, ITourKeyProtector protector, string tourId)
{
    public const string StateName = "tourkeys";
    private const byte Format = 1;
    private GrainState<TourKeyRing> _row = new() { State = new TourKeyRing() };
    private ImmutableDictionary<string, byte[]> _keys = ImmutableDictionary<string, byte[]>.Empty;

    private TourKeyRing Ring => _row.State ?? new TourKeyRing();

    public static GrainId RowId(string tourId) => GrainId.Create(StateName, tourId);

    /// <summary>Scopes of the keys that exist now.</summary>
    public IEnumerable<string> Scopes => Ring.Keys.Select(k => k.Scope).Distinct();

    public async Task LoadAsync()
    {
        var row = new GrainState<TourKeyRing>();
        await storage.ReadStateAsync(StateName, RowId(tourId), row);
        row.State ??= new TourKeyRing();
        var ring = row.State;
        var keys = ImmutableDictionary.CreateBuilder<string, byte[]>();
        var rewrapped = ImmutableArray.CreateBuilder<WrappedKey>();
        var rotate = false;
        foreach (var key in ring.Keys)
        {
            var plain = protector.Unwrap(tourId, key.Wrapped, out var rewrap);
            keys[key.Id] = plain;
            rotate |= rewrap;
            rewrapped.Add(rewrap ? key with { Wrapped = protector.Wrap(tourId, plain) } : key);
        }
        _row = row;
        _keys = keys.ToImmutable();
        if (rotate) await WriteAsync(ring with { Keys = rewrapped.ToImmutable() });
    }

    /// <summary>Seals bytes with the current key of a scope, creating (and storing) the key first if there is none.</summary>
    public async Task<(string KeyId, byte[] Sealed)> SealAsync(string scope, byte[] plain, Instant now)
    {
        var current = Ring.Keys.LastOrDefault(k => k.Scope == scope);
        if (current is null)
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            current = new WrappedKey { Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), Scope = scope, Wrapped = protector.Wrap(tourId, fresh), CreatedAt = now };
            await WriteAsync(Ring with { Keys = Ring.Keys.Add(current) });
            _keys = _keys.SetItem(current.Id, fresh);
        }
        return (current.Id, Seal(_keys[current.Id], current.Id, plain));
    }

    /// <summary>The plain bytes, or null when the key that sealed them was destroyed.</summary>
    public byte[]? Open(string keyId, byte[] sealedBytes)
    {
        if (!_keys.TryGetValue(keyId, out var key)) return null;
        if (sealedBytes.Length < 29 || sealedBytes[0] != Format) throw new CryptographicException("Unknown sealed format.");
        var plain = new byte[sealedBytes.Length - 29];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedBytes.AsSpan(1, 12), sealedBytes.AsSpan(29), sealedBytes.AsSpan(13, 16), plain, Associated(keyId));
        return plain;
    }

    /// <summary>Destroys the keys of the scopes chosen: what they sealed can never be read again.</summary>
    public async Task DestroyAsync(Func<string, bool> scopes)
    {
        var kept = Ring.Keys.RemoveAll(k => scopes(k.Scope));
        if (kept.Length == Ring.Keys.Length) return;
        await WriteAsync(Ring with { Keys = kept });
        _keys = _keys.Where(p => kept.Any(k => k.Id == p.Key)).ToImmutableDictionary();
    }

    /// <summary>Removes the row.</summary>
    public async Task ClearAsync()
    {
        var row = new GrainState<TourKeyRing>();
        await storage.ReadStateAsync(StateName, RowId(tourId), row);
        if (row.RecordExists) await storage.ClearStateAsync(StateName, RowId(tourId), row);
        _row = new() { State = new TourKeyRing() };
        _keys = _keys.Clear();
    }

    private async Task WriteAsync(TourKeyRing next)
    {
        var target = new GrainState<TourKeyRing> { State = next, ETag = _row.ETag, RecordExists = _row.RecordExists };
        await storage.WriteStateAsync(StateName, RowId(tourId), target);
        _row = target;
    }

    private byte[] Seal(byte[] key, string keyId, byte[] plain)
    {
        var output = new byte[29 + plain.Length];
        output[0] = Format;
        RandomNumberGenerator.Fill(output.AsSpan(1, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(1, 12), plain, output.AsSpan(29), output.AsSpan(13, 16), Associated(keyId));
        return output;
    }

    // Binds a sealed entry to its tour and key: a row copied into another tour's log does not open there.
    private byte[] Associated(string keyId) => Encoding.UTF8.GetBytes($"tourplanner/{tourId}/{keyId}");
}
