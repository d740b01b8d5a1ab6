using TourPlanner.Grains;
using TourPlanner.Grains.Domain;

namespace TourPlanner.Tests.Domain;

public class TravelAndTokenTests
{
    private static readonly GeoPoint NewYork = new(40.7128, -74.0060), LosAngeles = new(34.0522, -118.2437),
        Newark = new(40.7357, -74.1724), Philadelphia = new(39.9526, -75.1652);

    [Fact]
    public void GreatCircle_MatchesKnownDistances()
    {
        Assert.InRange(GreatCircle.DistanceKm(NewYork, LosAngeles), 3925, 3950); // ≈ 3936 km
        Assert.Equal(0, GreatCircle.DistanceKm(NewYork, NewYork), 6);
        // Across the date line: Fiji to Samoa is about 1,150 km, not most of the globe.
        Assert.InRange(GreatCircle.DistanceKm(new GeoPoint(-18.14, 178.44), new GeoPoint(-13.83, -171.76)), 1100, 1200);
    }

    [Fact]
    public void Estimator_DrivesShortLegs_FliesLongOnes_AndSkipsSamePlace()
    {
        var model = new GreatCircleTravelEstimator();
        var drive = model.Estimate(NewYork, Philadelphia);
        Assert.Equal("drive", drive.Mode);
        Assert.InRange(drive.Minutes, 100, 150);
        var fly = model.Estimate(NewYork, LosAngeles);
        Assert.Equal("fly", fly.Mode);
        Assert.Equal((int)Math.Ceiling(GreatCircle.DistanceKm(NewYork, LosAngeles) / 800 * 60) + 180, fly.Minutes);
        Assert.Equal("none", model.Estimate(NewYork, NewYork).Mode);
        Assert.Equal("estimate", fly.Source);
        Assert.Equal("drive", model.Estimate(NewYork, Newark).Mode);
    }

    [Fact]
    public void Tokens_Carry256RandomBits_AreStoredAsHashes_AndCompareExactly()
    {
        var a = Tokens.New();
        var b = Tokens.New();
        Assert.NotEqual(a, b);
        Assert.Equal(32, Convert.FromBase64String(a.Replace('-', '+').Replace('_', '/') + "=").Length);
        var hash = Tokens.Hash(a);
        Assert.DoesNotContain(a, Convert.ToBase64String(hash));
        Assert.True(Tokens.Matches(a, hash));
        Assert.False(Tokens.Matches(b, hash));
        Assert.False(Tokens.Matches(a[..^1], hash));
        Assert.False(Tokens.Matches(a, null));
    }
}
