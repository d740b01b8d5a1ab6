using System.Security.Cryptography;
using System.Text;

namespace TourPlanner.Grains.Domain;

/// <summary>Capability tokens: 256 random bits, shown once, stored only as a SHA-256 hash.</summary>
public static class Tokens
{
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>A short random id for tours, stops, claims and events (not a secret).</summary>
    public static string NewId(string prefix) => prefix + Base64Url(RandomNumberGenerator.GetBytes(12));

    // A fast hash is enough here: the tokens carry 256 bits of entropy, so there is nothing to brute-force.
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Compares a presented token with a stored hash in constant time.</summary>
    public static bool Matches(string token, byte[]? storedHash) =>
        storedHash is { Length: 32 } && CryptographicOperations.FixedTimeEquals(Hash(token), storedHash);

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
