using System.Collections.Immutable;
using System.Security.Cryptography;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Tests.Domain;

/// <summary>The tour's rules as pure decisions over its log: no cluster, no clock but the one handed in.</summary>
public class TourDecisionsTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 10, 1, 12, 0);
    private static readonly LocalDate Oct28 = new(2026, 10, 28), Oct29 = new(2026, 10, 29);
    private static readonly GeoPoint Chicago = new(41.8781, -87.6298), Milwaukee = new(43.0389, -87.9065);
    private static readonly TourLimits Limits = new();

    private sealed class Tour
    {
        public TourModel Model = TourModel.Empty with { TourId = "t_decisions000000" };
        public TourCreated Created = null!;
        public CommandContext Organizer => CommandContext.Of(Principal.ForOrganizer(Created.OrganizerId!, "k_org"));

        public T Do<T>(Decision<T> decision)
        {
            Assert.True(decision.Failure is null, decision.Failure?.Detail + string.Join("; ", decision.Failure?.Errors.SelectMany(e => e.Value) ?? []));
            foreach (var entry in decision.Entries) Model = Model.Apply(entry);
            return decision.Answer!(Model);
        }
    }

    private static Tour NewTour(int speakers = 1, PlanningRules? rules = null, TourLimits? limits = null)
    {
        var t = new Tour();
        t.Created = t.Do(PeopleDecisions.Create(t.Model, CommandContext.System, new CreateTour
        {
            Name = "Test", TimeZone = "America/New_York", StartDate = new LocalDate(2026, 10, 22), EndDate = new LocalDate(2026, 11, 15),
            Speakers = [.. Enumerable.Range(0, speakers).Select(i => new SpeakerInput { Name = $"S{i}", HomeTimeZone = "America/New_York" })],
            Rules = rules ?? new PlanningRules(),
        }, "test", Now, limits ?? Limits));
        return t;
    }

    private static string Host(Tour t, string name = "Host") =>
        t.Do(PeopleDecisions.InviteHost(t.Model, t.Organizer, new InviteHost { Name = name }, Now, Limits)).HostId;

    private static ClaimRequest Claim(LocalDate date, GeoPoint at, string city = "Chicago", int hour = 19, ImmutableArray<string>? speakers = null, Venue? venue = null) => new()
    {
        City = city, Country = "US", TimeZone = "America/Chicago", Location = at, Dates = [date], Venue = venue ?? new Venue(),
        Events = [new EventInput { Title = $"Meeting in {city}", Start = date.At(new LocalTime(hour, 0)), DurationMinutes = 120, SpeakerIds = speakers, Public = false }],
    };

    private static ClaimReceipt Submit(Tour t, string hostId, ClaimRequest request, Facts? facts = null) =>
        t.Do(ClaimDecisions.Submit(t.Model, CommandContext.Of(Principal.ForHost(hostId)), request, facts ?? Facts.None, Now, Limits));

    [Fact]
    public void APersonHoldsSeveralLinks_EachRevocableAlone_AndRevokeEndsThemAllButTheNewOne()
    {
        var t = NewTour();
        var host = Host(t);
        var first = t.Model.Tokens.Values.Single(k => k.PersonId == host);
        var second = t.Do(PeopleDecisions.IssueLink(t.Model, t.Organizer, Role.Host, host, revokeOthers: false, Now, Limits));
        var third = t.Do(PeopleDecisions.IssueLink(t.Model, t.Organizer, Role.Host, host, revokeOthers: false, Now, Limits));
        Assert.Equal(Role.Host, PeopleDecisions.Authenticate(t.Model, second.Token, Now).Role);
        Assert.Equal(third.TokenId, PeopleDecisions.Authenticate(t.Model, third.Token, Now).TokenId);

        t.Do(PeopleDecisions.RevokeLink(t.Model, t.Organizer, second.TokenId, Now));
        Assert.Equal(Role.Anonymous, PeopleDecisions.Authenticate(t.Model, second.Token, Now).Role);
        Assert.Equal(Role.Host, PeopleDecisions.Authenticate(t.Model, third.Token, Now).Role);
        Assert.Contains(t.Model.Tokens.Values, k => k.TokenId == first.TokenId);

        var fresh = t.Do(PeopleDecisions.IssueLink(t.Model, t.Organizer, Role.Host, host, revokeOthers: true, Now, Limits));
        Assert.Equal(2, fresh.Revoked);
        Assert.Equal(Role.Anonymous, PeopleDecisions.Authenticate(t.Model, third.Token, Now).Role);
        Assert.Equal(Role.Host, PeopleDecisions.Authenticate(t.Model, fresh.Token, Now).Role);
        Assert.Single(t.Model.Tokens.Values, k => k.PersonId == host);
    }

    [Fact]
    public void SignInLinks_DoNotWorkAsStandingLinks_AndExpiredLinksDoNotWorkAtAll()
    {
        var t = NewTour();
        var record = new TokenRecord { TokenId = "k_x", Hash = Tokens.Hash("sign-in"), PersonId = t.Created.OrganizerId!, Role = Role.Organizer, SingleUse = true };
        var expiring = new TokenRecord { TokenId = "k_y", Hash = Tokens.Hash("expiring"), PersonId = t.Created.OrganizerId!, Role = Role.Organizer, ExpiresAt = Now };
        t.Model = t.Model.Apply(new LinkIssued { At = Now, Token = record }).Apply(new LinkIssued { At = Now, Token = expiring });
        Assert.Equal(Role.Anonymous, PeopleDecisions.Authenticate(t.Model, "sign-in", Now).Role);
        Assert.Equal(Role.Organizer, PeopleDecisions.Authenticate(t.Model, "expiring", Now - Duration.FromSeconds(1)).Role);
        Assert.Equal(Role.Anonymous, PeopleDecisions.Authenticate(t.Model, "expiring", Now).Role);
    }

    [Fact]
    public void Caps_AreRefusedNamingTheCap()
    {
        var limits = new TourLimits { MaxClaims = 2, MaxHosts = 1, MaxLinksPerPerson = 2, MaxSpeakers = 1 };
        var t = NewTour(limits: limits);
        var host = t.Do(PeopleDecisions.InviteHost(t.Model, t.Organizer, new InviteHost { Name = "One" }, Now, limits)).HostId;
        Assert.Equal(OutcomeKind.LimitReached, PeopleDecisions.InviteHost(t.Model, t.Organizer, new InviteHost { Name = "Two" }, Now, limits).Failure!.Kind);
        Assert.Contains("hosts", PeopleDecisions.InviteHost(t.Model, t.Organizer, new InviteHost { Name = "Two" }, Now, limits).Failure!.Errors.Keys);
        t.Do(PeopleDecisions.IssueLink(t.Model, t.Organizer, Role.Host, host, false, Now, limits));
        Assert.Contains("links", PeopleDecisions.IssueLink(t.Model, t.Organizer, Role.Host, host, false, Now, limits).Failure!.Errors.Keys);
        Assert.Contains("speakers", PeopleDecisions.AddSpeaker(t.Model, t.Organizer, new SpeakerInput { Name = "B", HomeTimeZone = "UTC" }, Now, limits).Failure!.Errors.Keys);

        var ctx = CommandContext.Of(Principal.ForHost(host));
        t.Do(ClaimDecisions.Submit(t.Model, ctx, Claim(Oct28, Chicago), Facts.None, Now, limits));
        t.Do(ClaimDecisions.Submit(t.Model, ctx, Claim(Oct29, Chicago), Facts.None, Now, limits));
        var refused = ClaimDecisions.Submit(t.Model, ctx, Claim(Oct29, Chicago), Facts.None, Now, limits).Failure!;
        Assert.Equal(OutcomeKind.LimitReached, refused.Kind);
        Assert.Contains("claims", refused.Errors.Keys);
        Assert.Equal(2, t.Model.Ledger.Count);
    }

    [Fact]
    public void ASpeakerWithConfirmedEvents_CannotBeRemoved_AndTheRefusalNamesThem()
    {
        var t = NewTour(speakers: 2);
        var (a, b) = (t.Created.Speakers[0].Id, t.Created.Speakers[1].Id);
        var host = Host(t);
        var confirmed = Submit(t, host, Claim(Oct28, Chicago, speakers: [a]));
        t.Do(ClaimDecisions.Confirm(t.Model, t.Organizer, confirmed.Claim.ClaimId, Facts.None, Now));
        var refused = PeopleDecisions.RemoveSpeaker(t.Model, t.Organizer, a, Now).Failure!;
        Assert.Equal(OutcomeKind.Conflict, refused.Kind);
        Assert.Contains("Meeting in Chicago", refused.Detail);

        // Held claims lose the speaker; a claim left with nobody is released.
        var both = Submit(t, host, Claim(Oct29, Milwaukee, "Milwaukee", speakers: [a, b]));
        var onlyB = Submit(t, host, new ClaimRequest
        {
            City = "Madison", Country = "US", TimeZone = "America/Chicago", Location = new GeoPoint(43.07, -89.40), Dates = [new LocalDate(2026, 11, 2)],
            Events = [new EventInput { Title = "B only", Start = new LocalDate(2026, 11, 2).At(new LocalTime(19, 0)), DurationMinutes = 60, SpeakerIds = [b] }],
        });
        t.Do(PeopleDecisions.RemoveSpeaker(t.Model, t.Organizer, b, Now));
        Assert.Equal<string>([a], t.Model.Ledger.Claim(both.Claim.ClaimId)!.SpeakerIds);
        Assert.All(t.Model.Ledger.Stop(both.Claim.StopId)!.Events, e => Assert.Equal<string>([a], e.SpeakerIds));
        Assert.Equal(ClaimStatus.Released, t.Model.Ledger.Claim(onlyB.Claim.ClaimId)!.Status);
        Assert.DoesNotContain(t.Model.Speakers, s => s.Id == b);
        Assert.DoesNotContain(t.Model.Tokens.Values, k => k.PersonId == b);
    }

    [Fact]
    public void ShrinkingTheTourPastAnActiveClaim_IsRefusedNamingTheField()
    {
        var t = NewTour();
        Submit(t, Host(t), Claim(Oct28, Chicago));
        var refused = PeopleDecisions.UpdateSettings(t.Model, t.Organizer, new TourSettingsPatch { EndDate = new LocalDate(2026, 10, 27) }, Now).Failure!;
        Assert.Equal(OutcomeKind.Invalid, refused.Kind);
        Assert.Contains("endDate", refused.Errors.Keys);
        var renamed = t.Do(PeopleDecisions.UpdateSettings(t.Model, t.Organizer, new TourSettingsPatch { Name = "Renamed", HoldDays = 3 }, Now));
        Assert.Equal(("Renamed", 3), (renamed.Name, renamed.Rules.HoldDays));
    }

    [Fact]
    public void AConfirmCheckedAgainstAnotherRoute_IsStale_AndTheHandedInLegsAreWhatTheRulesSee()
    {
        var t = NewTour();
        var host = Host(t);
        var chicago = Submit(t, host, Claim(Oct28, Chicago, hour: 19));
        var milwaukee = Submit(t, host, Claim(Oct29, Milwaukee, "Milwaukee", hour: 9));
        t.Do(ClaimDecisions.Confirm(t.Model, t.Organizer, chicago.Claim.ClaimId, Facts.None, Now));

        // Built-in: 145 km, under three hours, fits overnight; a routed leg of 800 minutes (a closed road) does not.
        var slowRoad = new LegFact(Chicago, Milwaukee, new TravelEstimate { Mode = "drive", DistanceKm = 150, Minutes = 800, Source = "osrm" });
        var stale = new Facts { RouteVersion = t.Model.RouteVersion - 1, Legs = [slowRoad] };
        Assert.Equal(OutcomeKind.Stale, ClaimDecisions.Confirm(t.Model, t.Organizer, milwaukee.Claim.ClaimId, stale, Now).Failure!.Kind);

        var current = stale with { RouteVersion = t.Model.RouteVersion };
        var refused = ClaimDecisions.Confirm(t.Model, t.Organizer, milwaukee.Claim.ClaimId, current, Now).Failure!;
        Assert.Equal("travel-impossible", Assert.Single(refused.Conflicts).Code);
        Assert.Equal("osrm", refused.Conflicts[0].Details["source"]);
        Assert.True(ClaimDecisions.Confirm(t.Model, t.Organizer, milwaukee.Claim.ClaimId, Facts.None with { RouteVersion = t.Model.RouteVersion }, Now).Failure is null);
    }

    [Fact]
    public void VenueFacts_BlockAConfirmWhenBusy_AndWarnWhenTheCalendarCouldNotBeRead()
    {
        var t = NewTour();
        var host = Host(t);
        var url = "https://calendar.example.org/hall.ics";
        var claim = Submit(t, host, Claim(Oct28, Chicago, venue: new Venue { Name = "Hall", CalendarUrl = url }));
        var stop = t.Model.Ledger.Stop(claim.Claim.StopId)!;
        var (from, to) = VenueConflicts.Span(stop)!.Value;
        var busy = new Facts
        {
            RouteVersion = t.Model.RouteVersion,
            Venues = [new VenueFact { StopId = "any", CalendarUrl = url, From = from, To = to, Status = "ok", Busy = [new TimeRange(from, from + Duration.FromMinutes(30))] }],
        };
        Assert.Equal("venue-busy", Assert.Single(ClaimDecisions.Confirm(t.Model, t.Organizer, claim.Claim.ClaimId, busy, Now).Failure!.Conflicts).Code);

        var unread = busy with { Venues = [busy.Venues[0] with { Status = "unavailable", Busy = [], Reason = "the calendar could not be read" }] };
        var decision = ClaimDecisions.Confirm(t.Model, t.Organizer, claim.Claim.ClaimId, unread, Now);
        Assert.Null(decision.Failure);
        Assert.Equal("venue-calendar-unavailable", Assert.Single(decision.Warnings).Code);
    }

    [Fact]
    public void AHostGroupsClaims_ComeFromTheLedger_SoTheyCannotDisagree()
    {
        var t = NewTour();
        var host = Host(t);
        var one = Submit(t, host, Claim(Oct28, Chicago));
        var two = Submit(t, host, Claim(Oct29, Chicago));
        Assert.Equal<string>([one.Claim.ClaimId, two.Claim.ClaimId], TourViews.Hosts(t.Model).Single(h => h.HostId == host).ClaimIds);
    }

    [Fact]
    public void ReplayTokens_OpenOnlyWithTheIdempotencyKey()
    {
        var tokens = ImmutableArray.Create(new IssuedToken("o_1", "k_1", "secret-token-value"));
        var sealedTokens = ReplaySeal.Seal("the-client's-key", tokens);
        Assert.DoesNotContain("secret-token-value", System.Text.Encoding.UTF8.GetString(sealedTokens));
        Assert.Equal<IssuedToken>(tokens, ReplaySeal.Open("the-client's-key", sealedTokens));
        Assert.ThrowsAny<CryptographicException>(() => ReplaySeal.Open("another key", sealedTokens));
    }

    [Fact]
    public void OnlyAnInvitedHostGroup_CanClaim_AndOnlyItOrTheOrganizer_CanRelease()
    {
        var t = NewTour();
        var host = Host(t);
        var other = Host(t, "Other");
        Assert.Equal(OutcomeKind.Forbidden, ClaimDecisions.Submit(t.Model, t.Organizer, Claim(Oct28, Chicago), Facts.None, Now, Limits).Failure!.Kind);
        Assert.Equal(OutcomeKind.Forbidden, ClaimDecisions.Submit(t.Model, CommandContext.Of(Principal.ForHost("h_nobody")), Claim(Oct28, Chicago), Facts.None, Now, Limits).Failure!.Kind);
        var claim = Submit(t, host, Claim(Oct28, Chicago));
        Assert.Equal(OutcomeKind.Forbidden, ClaimDecisions.Release(t.Model, CommandContext.Of(Principal.ForHost(other)), claim.Claim.ClaimId, Now).Failure!.Kind);
        Assert.Equal(ClaimStatus.Released, t.Do(ClaimDecisions.Release(t.Model, CommandContext.Of(Principal.ForHost(host)), claim.Claim.ClaimId, Now)).Status);
    }

    [Fact]
    public void AClaimForADateThatHasBegunInItsOwnZone_IsRefused()
    {
        var t = NewTour();
        var host = Host(t);
        var late = Instant.FromUtc(2026, 10, 28, 6, 0); // 01:00 on the 28th in Chicago
        var refused = ClaimDecisions.Submit(t.Model, CommandContext.Of(Principal.ForHost(host)), Claim(new LocalDate(2026, 10, 27), Chicago), Facts.None, late, Limits).Failure!;
        Assert.Contains("dates[0]", refused.Errors.Keys);
        Assert.Null(ClaimDecisions.Submit(t.Model, CommandContext.Of(Principal.ForHost(host)), Claim(Oct28, Chicago), Facts.None, late, Limits).Failure);
    }
}
