using NodaTime;
using NodaTime.Testing;
using TourPlanner.Grains;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Grains;

public class RestartTests
{
    [Fact]
    public async Task AcknowledgedClaimsAndTheirHoldReminder_SurviveAWholeClusterRestartOnTheSameFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tourplanner-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var clock = new FakeClock(ClusterFixture.Epoch);
        var settings = ClusterFixture.Settings(dir);
        try
        {
            string tourId, held, queued;
            var first = ClusterFixture.Build(clock, settings);
            await first.DeployAsync();
            try
            {
                var s = await new Scenario(first.Client).CreateAsync(new PlanningRules { HoldDays = 2 });
                var host = await s.HostAsync();
                var day = new LocalDate(2026, 10, 30);
                held = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([day]))).Value!.Claim.ClaimId;
                queued = (await s.Tour.SubmitClaimAsync(host, Scenario.Claim([day]))).Value!.Claim.ClaimId;
                tourId = s.TourId;
            }
            finally
            {
                await first.StopAllSilosAsync();
                await first.DisposeAsync();
            }
            Assert.True(new FileInfo(Path.Combine(dir, "grains.db")).Length > 0);

            var second = ClusterFixture.Build(clock, settings);
            await second.DeployAsync();
            try
            {
                var tour = second.Client.GetGrain<ITourGrain>(tourId);
                var claims = await tour.GetClaimsAsync();
                Assert.Equal([held, queued], claims.Select(c => c.ClaimId).ToArray());
                Assert.Equal([1, 2], claims.Select(c => c.Rank).ToArray());

                // No call but reads: the reminder, read back from the file by the new silo, expires the hold.
                clock.Advance(Duration.FromDays(2));
                var after = await Eventually.ValueAsync(tour.GetClaimsAsync, c => c[0].Status == ClaimStatus.Expired);
                Assert.Equal(ClaimStatus.Expired, after[0].Status);
                Assert.Equal(1, after[1].Rank);
            }
            finally
            {
                await second.StopAllSilosAsync();
                await second.DisposeAsync();
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}
