using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain.Privacy;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Tests.Privacy;

/// <summary>What is private and when it goes, decided without a cluster.</summary>
public sealed class PrivacyRulesTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 10, 1, 12, 0);

    private static TourModel Tour(LocalDate end) => TourModel.Empty.Apply(new TourSetUp
    {
        At = Now, Slug = "s", Organizer = new OrganizerInfo { Id = "o_1", Name = "Ana", Email = "ana@example.org" },
        Settings = new TourSettings { Name = "T", TimeZone = "America/Chicago", StartDate = new LocalDate(2026, 10, 22), EndDate = end },
    });

    [Fact]
    public void PurgeDue_StartsAtMidnightInTheToursZone_OnTheLastDatePlusRetention()
    {
        var tour = Tour(new LocalDate(2026, 11, 15));
        var midnight = Instant.FromUtc(2026, 11, 25, 6, 0); // 25 Nov 00:00 in Chicago (CST)
        Assert.False(PrivacyDecisions.PurgeDue(tour, 10, midnight - Duration.FromSeconds(1)));
        Assert.True(PrivacyDecisions.PurgeDue(tour, 10, midnight));
        Assert.False(PrivacyDecisions.PurgeDue(tour.Apply(new PrivateDataPurged { At = midnight, Reason = "retention" }), 10, midnight + Duration.FromDays(1)));
    }

    [Fact]
    public void SetPurgeOn_RefusesADateAfterTheRetentionPeriod()
    {
        var tour = Tour(new LocalDate(2026, 11, 15));
        var decision = PrivacyDecisions.SetPurgeOn(tour, CommandContext.System, new LocalDate(2026, 12, 16), 30, Now);
        Assert.Equal(OutcomeKind.Invalid, decision.Failure!.Kind);
        Assert.True(decision.Failure.Errors.ContainsKey("purgeOn"));
        Assert.Null(PrivacyDecisions.SetPurgeOn(tour, CommandContext.System, new LocalDate(2026, 12, 15), 30, Now).Failure);
    }

    [Fact]
    public void Redact_RemovesContactsAddressesAndPrivateEvents_AndKeepsThePublicRecord()
    {
        var stop = new StopSnapshot
        {
            StopId = "st_1", TourId = "t", ClaimId = "c_1", HostId = "h_1", City = "Chicago", Country = "US", TimeZone = "America/Chicago",
            Venue = new Venue { Name = "Hall", Address = "1 Secret St", CalendarUrl = "https://u:p@example.org/cal" },
            Events =
            [
                new StopEvent { EventId = "e_1", Title = "Rally", Start = new LocalDateTime(2026, 10, 28, 19, 0), DurationMinutes = 60, Public = true, Description = "All" },
                new StopEvent { EventId = "e_2", Title = "Lawyers", Start = new LocalDateTime(2026, 10, 28, 12, 0), DurationMinutes = 60, Description = "Room 4" },
            ],
        };
        var kept = (ClaimSubmitted)PrivateData.Redact(new ClaimSubmitted
        {
            Claim = new ClaimView { ClaimId = "c_1", StopId = "st_1", HostId = "h_1", City = "Chicago" }, Stop = stop,
        });
        Assert.Null(kept.Stop.Venue.Address);
        Assert.Null(kept.Stop.Venue.CalendarUrl);
        Assert.Equal("Hall", kept.Stop.Venue.Name);
        Assert.Equal(("Rally", "All"), (kept.Stop.Events[0].Title, kept.Stop.Events[0].Description));
        Assert.Equal(("", null), (kept.Stop.Events[1].Title, kept.Stop.Events[1].Description));
        var published = (ClaimSubmitted)PrivateData.Redact(new ClaimSubmitted
        {
            Claim = kept.Claim, Stop = stop with { Venue = stop.Venue with { AddressVisibility = AddressVisibility.Full } },
        });
        Assert.Equal("1 Secret St", published.Stop.Venue.Address); // published in full: part of the public record

        var host = (HostAdded)PrivateData.Redact(new HostAdded
        {
            Host = new HostSnapshot { HostId = "h_1", TourId = "t", Name = "Local 1", City = "Chicago", ContactName = "Ana", ContactEmail = "a@x.org", ContactPhone = "1" },
            Token = new TokenRecord { TokenId = "k", Hash = [1], PersonId = "h_1", Role = Role.Host, Label = "for Ana" },
        });
        Assert.Equal(("Local 1", "Chicago", null, null, null, null), (host.Host.Name, host.Host.City, host.Host.ContactName, host.Host.ContactEmail, host.Host.ContactPhone, host.Token.Label));
        Assert.Equal("host/h_1", PrivateData.Scope(host));
        Assert.True(PrivateData.HasPrivate(host));
        Assert.False(PrivateData.HasPrivate(new ClaimConfirmed { ClaimId = "c_1" }));
    }

    [Fact]
    public void Withdraw_ReleasesHeldAndCancelsConfirmedClaims_OfThatGroupOnly()
    {
        var tour = Tour(new LocalDate(2026, 11, 15)).Apply(new HostAdded
        {
            Host = new HostSnapshot { HostId = "h_1", TourId = "t", Name = "Local 1" },
            Token = new TokenRecord { TokenId = "k_1", Hash = [1], PersonId = "h_1", Role = Role.Host },
        });
        var decision = PrivacyDecisions.Withdraw(tour, CommandContext.Of(Principal.ForHost("h_2")), "h_1", Now);
        Assert.Equal(OutcomeKind.Forbidden, decision.Failure!.Kind);
        var ok = PrivacyDecisions.Withdraw(tour, CommandContext.Of(Principal.ForHost("h_1")), "h_1", Now);
        var after = ok.Entries.Aggregate(tour, (m, e) => m.Apply(e));
        Assert.NotNull(after.Host("h_1")!.WithdrawnAt);
        Assert.DoesNotContain(after.Tokens.Values, t => t.PersonId == "h_1");
        Assert.Equal(ImmutableArray<TourEntry>.Empty, PrivacyDecisions.Withdraw(after, CommandContext.Of(Principal.ForHost("h_1")), "h_1", Now).Entries);
    }
}
