using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// A tour as its entries make it: the fold of its log. Immutable and built from persistent collections, so applying
/// an entry shares nearly everything with the version before; the tour grain keeps the last stored version for
/// readers and builds the next one beside it.
/// </summary>
public sealed record TourModel
{
    public static readonly TourModel Empty = new();

    /// <summary>Idempotency keys are honoured for this long.</summary>
    public static readonly Duration IdempotencyWindow = Duration.FromHours(24);

    public string TourId { get; init; } = "";
    public bool Created { get; init; }
    public string Slug { get; init; } = "";
    public TourSettings Settings { get; init; } = new() { Name = "", TimeZone = "UTC" };
    public PlanningRules Rules => Settings.Rules;
    public ImmutableList<SpeakerInfo> Speakers { get; init; } = [];
    public ImmutableList<OrganizerInfo> Organizers { get; init; } = [];
    public ImmutableDictionary<string, HostSnapshot> Hosts { get; init; } = ImmutableDictionary<string, HostSnapshot>.Empty;
    /// <summary>Host ids in the order they were invited.</summary>
    public ImmutableList<string> HostOrder { get; init; } = [];
    /// <summary>Live tokens by the hex of their hash: a presented token is hashed once and looked up.</summary>
    public ImmutableDictionary<string, TokenRecord> Tokens { get; init; } = ImmutableDictionary<string, TokenRecord>.Empty;
    public Ledger Ledger { get; init; } = Ledger.Empty;
    public Instant CreatedAt { get; init; }
    /// <summary>How many entries made this version.</summary>
    public long Version { get; init; }
    /// <summary>Rises with every change a calendar feed can show.</summary>
    public int FeedVersion { get; init; }
    /// <summary>When the feeds last changed; never moves backwards.</summary>
    public Instant FeedChangedAt { get; init; }
    /// <summary>Rises with every change a plan relies on.</summary>
    public int LedgerVersion { get; init; }
    /// <summary>Rises with every change of the confirmed route (what confirm's checks and their facts depend on).</summary>
    public int RouteVersion { get; init; }
    /// <summary>Idempotency keys of the last 24 hours by key hash.</summary>
    public ImmutableDictionary<string, (IdempotencyStamp Stamp, Instant At)> Idempotency { get; init; } =
        ImmutableDictionary<string, (IdempotencyStamp, Instant)>.Empty;
    /// <summary>Routed legs handed in with confirms, by <see cref="TravelCacheKey"/>: the itinerary shows what confirm checked.</summary>
    public ImmutableDictionary<string, LegFact> KnownLegs { get; init; } = ImmutableDictionary<string, LegFact>.Empty;

    /// <summary>Held claims whose groups were reminded that the hold runs out within a day (once per claim).</summary>
    public ImmutableHashSet<string> WarnedHolds { get; init; } = ImmutableHashSet<string>.Empty;

    /// <summary>Single-use sign-in links one person may hold at once; the oldest goes when a message needs another.</summary>
    public const int MaxSignInLinksPerPerson = 20;

    /// <summary>The day the organizer chose for purging private data, when brought forward.</summary>
    public LocalDate? PurgeOn { get; init; }
    /// <summary>When private data was last purged.</summary>
    public Instant? PurgedAt { get; init; }
    /// <summary>Supporters who asked for on-request addresses, in order (e-mails are gone once purged).</summary>
    public ImmutableList<Signup> Signups { get; init; } = [];

    /// <summary>The tour's last day: its end date, or a later stop's last date.</summary>
    public LocalDate LastDate =>
        Ledger.Claims.Where(c => c.Status is ClaimStatus.Confirmed or ClaimStatus.Held).SelectMany(c => c.Dates).Append(Settings.EndDate).Max();

    /// <summary>Most known legs kept (a tour has tens of stops; this bounds what a flood of confirms could store).</summary>
    public const int MaxKnownLegs = 4096;

    public SpeakerInfo? Speaker(string? id) => Speakers.FirstOrDefault(s => s.Id == id);
    public OrganizerInfo? Organizer(string? id) => Organizers.FirstOrDefault(o => o.Id == id);
    public HostSnapshot? Host(string? id) => id is not null && Hosts.TryGetValue(id, out var h) ? h : null;

    /// <summary>The version after one more entry.</summary>
    public TourModel Apply(TourEntry entry)
    {
        var next = Evolve(entry) with { Version = Version + 1 };
        if (entry.Idempotency is { } stamp)
            next = next with { Idempotency = next.Idempotency.SetItem(stamp.KeyHash, (stamp, entry.At)) };
        return next;
    }

    /// <summary>Forgets idempotency keys older than <see cref="IdempotencyWindow"/>.</summary>
    public TourModel ForgetKeysBefore(Instant now)
    {
        var old = Idempotency.Where(p => p.Value.At + IdempotencyWindow < now).Select(p => p.Key).ToList();
        return old.Count == 0 ? this : this with { Idempotency = Idempotency.RemoveRange(old) };
    }

    private TourModel Evolve(TourEntry entry) => entry switch
    {
        TourSetUp e => this with
        {
            Created = true, Slug = e.Slug, Settings = e.Settings, Speakers = [.. e.Speakers], Organizers = [e.Organizer],
            Tokens = AddTokens(Tokens, e.Tokens), CreatedAt = e.At, FeedVersion = 1, FeedChangedAt = e.At,
        },
        SettingsChanged e => RouteChanged(FeedChanged(this with { Settings = e.Settings }, e.At)),
        SpeakerAdded e => FeedChanged(this with { Speakers = Speakers.Add(e.Speaker), Tokens = AddTokens(Tokens, [e.Token]) }, e.At),
        SpeakerChanged e => RouteChanged(FeedChanged(this with
        {
            Speakers = Speakers.Replace(Speaker(e.Speaker.Id)!, e.Speaker),
            Settings = Settings with
            {
                Rules = Rules with
                {
                    BlackoutDates = e.BlackoutDates.IsDefaultOrEmpty
                        ? Rules.BlackoutDates.Remove(e.Speaker.Id)
                        : Rules.BlackoutDates.SetItem(e.Speaker.Id, e.BlackoutDates),
                },
            },
        }, e.At)),
        SpeakerRemoved e => RemoveSpeaker(e),
        OrganizerAdded e => this with { Organizers = Organizers.Add(e.Organizer), Tokens = AddTokens(Tokens, [e.Token]) },
        OrganizerChanged e => this with { Organizers = Organizers.Replace(Organizer(e.Organizer.Id)!, e.Organizer) },
        HostAdded e => this with
        {
            Hosts = Hosts.Add(e.Host.HostId, e.Host with { ClaimIds = [] }), HostOrder = HostOrder.Add(e.Host.HostId),
            Tokens = AddTokens(Tokens, [e.Token]),
        },
        HostChanged e => this with { Hosts = Hosts.SetItem(e.Host.HostId, e.Host with { ClaimIds = [] }) },
        LinkIssued { Token.SingleUse: true } e => this with { Tokens = AddTokens(PruneSignIns(Tokens, e.Token.PersonId, e.At), [e.Token]) },
        LinkIssued e => this with
        {
            Tokens = AddTokens(e.RevokedOthers ? RemoveTokens(Tokens, t => t.PersonId == e.Token.PersonId) : Tokens, [e.Token]),
        },
        LinkRevoked e => this with { Tokens = RemoveTokens(Tokens, t => t.TokenId == e.TokenId) },
        ClaimSubmitted e => LedgerChanged(this with { Ledger = Ledger.Add(e.Claim, e.Stop, e.At, Rules) }),
        ClaimConfirmed e => RouteChanged(LedgerChanged(FeedChanged(this with
        {
            Ledger = Ledger.Confirm(e.ClaimId, e.At), KnownLegs = Remember(KnownLegs, e.Legs),
        }, e.At))),
        ClaimEnded e => EndClaim(e),
        HoldsEnding e => this with { WarnedHolds = WarnedHolds.Union(e.ClaimIds) },
        HoldsExpired e => LedgerChanged(this with { Ledger = e.ClaimIds.Aggregate(Ledger, (l, id) => l.End(id, ClaimStatus.Expired, e.At, Rules)) }),
        StopChanged e => ChangeStop(e),
        ProposalApplied e => ApplyProposal(e),
        SupporterSignedUp e => this with
        {
            Signups = Signups.Add(new Signup { SignupId = e.SignupId, StopId = e.StopId, Email = e.Email, ShareWithHost = e.ShareWithHost, At = e.At, Language = e.Language }),
        },
        HostWithdrew e => this with
        {
            Hosts = Hosts.SetItem(e.HostId, Hosts[e.HostId] with { WithdrawnAt = e.At }),
            Tokens = RemoveTokens(Tokens, t => t.PersonId == e.HostId),
        },
        PrivateDataPurged e => this with { PurgedAt = e.At },
        RetentionChanged e => this with { PurgeOn = e.PurgeOn },
        TourExported => this,
        _ => throw new InvalidOperationException($"Unknown tour entry {entry.GetType().Name}."),
    };

    private TourModel EndClaim(ClaimEnded e)
    {
        var claim = Ledger.Claim(e.ClaimId)!;
        var wasPublished = claim.Status == ClaimStatus.Confirmed;
        var ledger = Ledger.End(e.ClaimId, e.Status, e.At, Rules);
        if (e.Status == ClaimStatus.Cancelled)
        {
            // The stop keeps its events so feeds can publish them as cancelled; each event's sequence rises.
            var stop = ledger.StopOf(claim);
            ledger = ledger.ReplaceStop(stop with
            {
                CancelledAt = e.At, LastModified = e.At,
                Events = [.. stop.Events.Select(ev => ev with { Sequence = ev.Sequence + 1, LastModified = e.At })],
            }, e.At, Rules);
        }
        var next = LedgerChanged(this with { Ledger = ledger });
        return wasPublished ? RouteChanged(FeedChanged(next, e.At)) : next;
    }

    private TourModel ChangeStop(StopChanged e)
    {
        var claim = Ledger.ClaimOfStop(e.Stop.StopId)!;
        var next = LedgerChanged(this with { Ledger = Ledger.ReplaceStop(e.Stop, e.At, Rules), KnownLegs = Remember(KnownLegs, e.Legs) });
        return claim.Status == ClaimStatus.Confirmed ? RouteChanged(FeedChanged(next, e.At)) : next;
    }

    private TourModel ApplyProposal(ProposalApplied e)
    {
        var ledger = Ledger;
        foreach (var stop in e.Stops)
        {
            var claim = ledger.ClaimOfStop(stop.StopId)!;
            ledger = ledger.ReplaceStop(stop, e.At, Rules);
            if (claim.Status != ClaimStatus.Confirmed) ledger = ledger.Confirm(claim.ClaimId, e.At);
        }
        var next = this with { Ledger = ledger };
        if (e.CancelledClaimId is { } cancelled)
            next = next.EndClaim(new ClaimEnded { ClaimId = cancelled, Status = ClaimStatus.Cancelled, At = e.At });
        return RouteChanged(LedgerChanged(FeedChanged(next, e.At)));
    }

    private TourModel RemoveSpeaker(SpeakerRemoved e)
    {
        var ledger = Ledger;
        foreach (var stop in e.ChangedStops)
            ledger = ledger.ReplaceStop(stop, e.At, Rules, Ledger.SpeakersOf(stop));
        foreach (var id in e.ReleasedClaims) ledger = ledger.End(id, ClaimStatus.Released, e.At, Rules);
        return RouteChanged(LedgerChanged(FeedChanged(this with
        {
            Speakers = Speakers.RemoveAll(s => s.Id == e.SpeakerId),
            Tokens = RemoveTokens(Tokens, t => t.PersonId == e.SpeakerId),
            Settings = Settings with { Rules = Rules with { BlackoutDates = Rules.BlackoutDates.Remove(e.SpeakerId) } },
            Ledger = ledger,
        }, e.At)));
    }

    /// <summary>
    /// Marks a change the feeds show. The stamp's time moves forward by at least a second per change, even if the
    /// clock does not, because HTTP dates have one-second resolution and If-Modified-Since must see every change.
    /// </summary>
    private static TourModel FeedChanged(TourModel m, Instant now)
    {
        var next = m.FeedChangedAt + Duration.FromSeconds(1);
        return m with { FeedVersion = m.FeedVersion + 1, FeedChangedAt = now >= next ? now : next };
    }

    private static TourModel LedgerChanged(TourModel m) => m with { LedgerVersion = m.LedgerVersion + 1 };
    private static TourModel RouteChanged(TourModel m) => m with { RouteVersion = m.RouteVersion + 1 };

    private static ImmutableDictionary<string, TokenRecord> AddTokens(ImmutableDictionary<string, TokenRecord> tokens, IEnumerable<TokenRecord> add) =>
        tokens.SetItems(add.Select(t => KeyValuePair.Create(Convert.ToHexString(t.Hash), t)));

    private static ImmutableDictionary<string, TokenRecord> RemoveTokens(ImmutableDictionary<string, TokenRecord> tokens, Func<TokenRecord, bool> which) =>
        tokens.RemoveRange(tokens.Where(p => which(p.Value)).Select(p => p.Key).ToList());

    /// <summary>
    /// Sign-in links from messages are stored like any link, so they are bounded here: expired ones go, and a person
    /// keeps at most <see cref="MaxSignInLinksPerPerson"/> unspent ones (a message's link is worth 14 days at most).
    /// </summary>
    private static ImmutableDictionary<string, TokenRecord> PruneSignIns(ImmutableDictionary<string, TokenRecord> tokens, string personId, Instant now)
    {
        var spent = tokens.Where(p => p.Value is { SingleUse: true, ExpiresAt: { } until } && until <= now).Select(p => p.Key).ToList();
        var mine = tokens.Where(p => p.Value.SingleUse && p.Value.PersonId == personId && !spent.Contains(p.Key))
            .OrderBy(p => p.Value.IssuedAt).ThenBy(p => p.Value.TokenId, StringComparer.Ordinal).ToList();
        spent.AddRange(mine.Take(Math.Max(0, mine.Count - (MaxSignInLinksPerPerson - 1))).Select(p => p.Key));
        return spent.Count == 0 ? tokens : tokens.RemoveRange(spent);
    }

    private static ImmutableDictionary<string, LegFact> Remember(ImmutableDictionary<string, LegFact> known, ImmutableArray<LegFact> legs)
    {
        if (legs.IsDefaultOrEmpty) return known;
        var routed = legs.Where(l => l.Estimate.Source is "osrm" or "cache").ToList();
        if (routed.Count == 0) return known;
        if (known.Count + routed.Count > MaxKnownLegs) known = known.Clear();
        return known.SetItems(routed.Select(l => KeyValuePair.Create(TravelCacheKey.For(l.From, l.To), l with { Estimate = l.Estimate with { Source = "osrm" } })));
    }
}
