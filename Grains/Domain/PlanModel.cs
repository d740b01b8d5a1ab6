using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains.Planning;

namespace TourPlanner.Grains.Domain;

/// <summary>How a claim takes part in a plan.</summary>
public enum PlanRole
{
    /// <summary>A confirmed stop that stays where it is.</summary>
    Fixed,
    /// <summary>Must be placed on one of its options (a pinned claim, a confirmed stop a repair may move, the repaired stop).</summary>
    Required,
    /// <summary>A pending claim the planner places when it fits, worth its priority.</summary>
    Optional,
}

/// <summary>A claim moved to one first date: the re-dated stop and the span of the speaker's events there.</summary>
public sealed record PlanOption(LocalDate FirstDate, int ShiftDays, StopSnapshot Stop, Instant Earliest, Instant Latest, Duration Service);

/// <summary>One claim as one speaker's planning node.</summary>
public sealed record PlanNodeInfo(ClaimView Claim, StopSnapshot Stop, PlanRole Role, ImmutableArray<PlanOption> Options, string? NoOptionCode, Text? NoOptionReason);

/// <summary>One speaker's TSPTW: node i + 1 of <see cref="Problem"/> is <see cref="Nodes"/>[i]; node 0 is the speaker's home.</summary>
public sealed record SpeakerProblem(string SpeakerId, PlanningProblem Problem, ImmutableArray<PlanNodeInfo> Nodes, Instant Anchor);

/// <summary>What to plan: which claims may move and which must be placed.</summary>
public sealed record PlanSpec
{
    /// <summary>Place the held claims (a plan); a repair leaves them alone.</summary>
    public bool IncludePending { get; init; } = true;
    /// <summary>Held claims forced onto one first date.</summary>
    public ImmutableDictionary<string, LocalDate> Pinned { get; init; } = ImmutableDictionary<string, LocalDate>.Empty;
    /// <summary>Confirmed claims that may move to any of their acceptable dates (their current one included).</summary>
    public ImmutableHashSet<string> Movable { get; init; } = [];
    /// <summary>The confirmed claim whose current date fell through: it must move to another acceptable date.</summary>
    public string? Relocate { get; init; }
}

/// <summary>
/// A moving claim with several speakers: it has to land on the same first date in every one of their routes, so its
/// date is decided for all of them at once; <see cref="Nodes"/> holds its node in each speaker's problem.
/// </summary>
public sealed record MultiSpeakerClaim(ClaimView Claim, PlanRole Role, ImmutableArray<LocalDate> Dates, ImmutableDictionary<string, PlanNodeInfo> Nodes);

/// <summary>The verified outcome of one planning run.</summary>
public sealed record PlanResult
{
    /// <summary>False when a required claim (pinned, movable, relocated) could not be placed under confirm's rules.</summary>
    public bool Feasible { get; init; }
    public ImmutableArray<PlannedClaim> Placed { get; init; } = [];
    public ImmutableArray<UnplacedClaim> Unplaced { get; init; } = [];
    public ImmutableArray<PlannedRoute> Routes { get; init; } = [];
    public int TotalTravelMinutes { get; init; }
    /// <summary>Why a required claim failed, when <see cref="Feasible"/> is false.</summary>
    public Text? Failure { get; init; }
    /// <summary>True when <see cref="Feasible"/> is false and a limit (not the rules) may be why: no route was found before the search had to stop.</summary>
    public bool FailureMayBeTheLimit { get; init; }
}

/// <summary>
/// Maps a tour onto the TSPTW/orienteering solver and back, then checks the answer with the same rules confirm uses.
/// Model, per speaker: time is minutes since the tour's first day 00:00 UTC; one node per claim with that speaker's
/// events; a node's windows are, per acceptable first date, the start instant of its first event there (earliest =
/// latest, since events keep their local times of day), its service the span of its events; travel between nodes is
/// the estimator's minutes plus the tour's travel buffer (the buffer sits on the leg, not in the service, because
/// ScheduleAnalyzer adds it only when there is a real leg); home is the depot with a window far around the tour.
/// Rest, events per day and the ledger's one-claim-per-(speaker, date) rule are not in the TSPTW model, so every
/// placement is verified afterwards and dropped with a reason when it breaks one.
/// A claim with several speakers is a node in each of their problems; its date is decided for all of them together,
/// claim by claim (most valuable first), by solving each of its speakers' routes with every open date and without it.
/// Travel comes from the <see cref="ITravelTimeEstimator"/> handed in, which for the planner grain is the Gateway's table
/// (<see cref="Planning.PlanTravelEstimator"/>): nothing here calls outside the process.
/// </summary>
public static class PlanModel
{
    // Wide enough that home legs never bind: the depot is only where routes start and end.
    private const int DepotSlackMinutes = 60 * 24 * 30;

    /// <summary>The stop moved by whole days: dates and event local times shift together; null with an error when an event lands in a DST gap.</summary>
    public static (StopSnapshot? Stop, Text? Error) Redate(StopSnapshot stop, int shiftDays)
    {
        if (shiftDays == 0) return (stop, null);
        var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
        var events = ImmutableArray.CreateBuilder<StopEvent>(stop.Events.Length);
        foreach (var e in stop.Events)
        {
            var start = e.Start.PlusDays(shiftDays);
            if (LocalTimes.Resolve(start, zone).Error is { } error) return (null, Text.Of(Codes.PlanEventInGap, Arg.Plain("title", e.Title), Arg.Of("reason", error)));
            events.Add(e with { Start = start });
        }
        return (stop with { Dates = [.. stop.Dates.Select(d => d.PlusDays(shiftDays))], Events = events.MoveToImmutable() }, null);
    }

    /// <summary>The claim's acceptable first dates (claims made before planning existed offer only their own).</summary>
    public static ImmutableArray<LocalDate> AcceptableDates(ClaimView claim) =>
        Validation.AcceptableFirstDates(claim.Dates, claim.AcceptableDates);

    /// <summary>
    /// Plans, verifies against confirm's rules, and describes the routes, within <paramref name="budget"/>. The searches
    /// stop at the budget's limits and keep their best routes; <paramref name="hard"/> ends the verification, which
    /// throws <see cref="OperationCanceledException"/> when it fires (nothing is then proposed).
    /// </summary>
    public static async Task<PlanResult> PlanAsync(PlanningInput input, PlanSpec spec, PlanBudget budget, ITravelTimeEstimator travel, CancellationToken hard = default)
    {
        var tour = input.Tour;
        var stops = input.Stops.ToDictionary(s => s.StopId);
        var active = tour.Claims.Where(c => ClaimLedger.IsActive(c.Status) && stops.ContainsKey(c.StopId)).ToList();
        var unplaced = new List<UnplacedClaim>();
        var (problems, multis) = BuildNodes(input, spec, active, stops, unplaced);
        var speakers = tour.Speakers.Select(s => s.Id).Where(problems.ContainsKey).ToList();
        var runsLeft = speakers.Count + multis.Sum(m => (m.Dates.Length + 1) * m.Nodes.Count);

        // Decide each multi-speaker claim's date over all its speakers' routes, most valuable first.
        var decided = new Dictionary<string, PlanOption?>();
        async Task<(bool Feasible, long Priority, long Travel)> ScoreAsync(IEnumerable<string> ids)
        {
            long priority = 0, travelSum = 0;
            foreach (var id in ids)
            {
                hard.ThrowIfCancellationRequested();
                var sp = await BuildProblemAsync(input, id, With(problems[id], multis, decided, id), travel);
                var solution = TourSolver.Solve(sp.Problem, budget.Next(runsLeft--), budget.ServerDeadline);
                budget.Spent(solution);
                if (!solution.Feasible) return (false, 0, 0);
                priority += solution.PlacedPriority;
                travelSum += solution.TotalTravel;
            }
            return (true, priority, travelSum);
        }
        foreach (var m in multis.OrderBy(m => m.Role == PlanRole.Required ? 0 : 1).ThenByDescending(m => m.Claim.Priority).ThenBy(m => active.IndexOf(m.Claim)))
        {
            var own = m.Nodes.Keys.Where(problems.ContainsKey).OrderBy(id => speakers.IndexOf(id)).ToList();
            (bool Feasible, long Priority, long Travel) best = default;
            PlanOption? choice = null;
            if (m.Role == PlanRole.Optional)
            {
                decided[m.Claim.ClaimId] = null;
                best = await ScoreAsync(own);
            }
            foreach (var date in m.Dates)
            {
                if (budget.RunOut() && (choice is not null || m.Role == PlanRole.Optional)) break;
                var option = m.Nodes.Values.First().Options.First(o => o.FirstDate == date);
                decided[m.Claim.ClaimId] = option;
                var score = await ScoreAsync(own);
                if (!score.Feasible) continue;
                score.Priority += Math.Max(1, m.Claim.Priority);
                if (!best.Feasible || score.Priority > best.Priority || (score.Priority == best.Priority && score.Travel < best.Travel))
                    (best, choice) = (score, option);
            }
            decided[m.Claim.ClaimId] = choice;
            if (choice is not null) continue;
            if (m.Role == PlanRole.Required)
                return new PlanResult { Feasible = false, FailureMayBeTheLimit = budget.Stop >= PlanStop.Time, Failure = Text.Of(Codes.PlanRequiredNoCommonDate, Arg.Plain("city", m.Claim.City), Arg.Plain("id", m.Claim.ClaimId)) };
            unplaced.Add(m.Dates.IsEmpty
                ? Unplaced(m.Claim, "no-common-date", Text.Of(Codes.UnplacedNoCommonDate))
                : Unplaced(m.Claim, "conflicts-with-placed", Text.Of(Codes.UnplacedMultiConflicts)));
        }

        // Solve each speaker's route with the multi-speaker claims on their decided dates. Each decision was found
        // feasible with the ones before it; should a route still fail (a run that a clock cut short), the least valuable
        // multi-speaker claim of that route is given up and all routes are solved again, so this ends.
        var placed = new Dictionary<string, (PlanNodeInfo Node, PlanOption Option)>();
        var missed = new List<UnplacedClaim>();
        for (var solved = false; !solved;)
        {
            (solved, placed, missed) = (true, [], []);
            foreach (var speakerId in speakers)
            {
                hard.ThrowIfCancellationRequested();
                var nodes = With(problems[speakerId], multis, decided, speakerId);
                var sp = await BuildProblemAsync(input, speakerId, nodes, travel);
                var solution = TourSolver.Solve(sp.Problem, budget.Next(Math.Max(1, runsLeft--)), budget.ServerDeadline);
                budget.Spent(solution);
                if (!solution.Feasible)
                {
                    var drop = multis.Where(m => m.Role == PlanRole.Optional && m.Nodes.ContainsKey(speakerId) && decided.GetValueOrDefault(m.Claim.ClaimId) is not null)
                        .OrderBy(m => m.Claim.Priority).ThenByDescending(m => active.IndexOf(m.Claim)).FirstOrDefault();
                    if (drop is not null)
                    {
                        decided[drop.Claim.ClaimId] = null;
                        unplaced.Add(Unplaced(drop.Claim, "conflicts-with-placed", Text.Of(Codes.UnplacedMultiConflicts)));
                        solved = false;
                        break;
                    }
                    var required = nodes.FirstOrDefault(n => n.Role == PlanRole.Required);
                    if (required is not null)
                        return new PlanResult
                        {
                            Feasible = false, FailureMayBeTheLimit = budget.Stop >= PlanStop.Time,
                            Failure = Text.Of(Codes.PlanRequiredNoRoute, Arg.Plain("city", required.Claim.City), Arg.Plain("id", required.Claim.ClaimId)),
                        };
                    foreach (var n in nodes.Where(n => n.Role == PlanRole.Optional))
                        missed.Add(Unplaced(n.Claim, "mandatory-infeasible", Text.Of(Codes.UnplacedMandatoryInfeasible)));
                    continue;
                }
                foreach (var visit in solution.Route)
                {
                    var node = nodes[visit.Node - 1];
                    if (node.Role == PlanRole.Fixed) continue;
                    var option = node.Options.First(o => Minutes(sp.Anchor, o.Earliest) <= visit.Start && visit.Start <= Minutes(sp.Anchor, o.Latest));
                    placed[node.Claim.ClaimId] = (node, option);
                }
                foreach (var miss in solution.Unplaced)
                {
                    var node = nodes[miss.Node - 1];
                    missed.Add(miss.Reason == UnplacedReason.UnreachableWindow
                        ? Unplaced(node.Claim, "unreachable", Text.Of(Codes.UnplacedUnreachable))
                        : Unplaced(node.Claim, "conflicts-with-placed", Text.Of(Codes.UnplacedConflictsWithPlaced)));
                }
            }
        }
        unplaced.AddRange(missed);

        var failure = await VerifyAsync(input, active, stops, placed, unplaced, travel, hard);
        if (failure is not null) return new PlanResult { Feasible = false, Failure = failure };
        var (routes, total) = await RoutesAsync(input, active, stops, placed, travel);
        var order = active.Select((c, i) => (c.ClaimId, i)).ToDictionary(p => p.ClaimId, p => p.i);
        return new PlanResult
        {
            Feasible = true, Routes = routes, TotalTravelMinutes = total,
            Unplaced = [.. unplaced.DistinctBy(u => u.ClaimId).OrderBy(u => order.GetValueOrDefault(u.ClaimId))],
            Placed = [.. routes.SelectMany(r => r.Stops).Where(s => placed.ContainsKey(s.ClaimId)).DistinctBy(s => s.ClaimId)
                .OrderBy(s => s.Start).ThenBy(s => s.ClaimId, StringComparer.Ordinal)],
        };
    }

    /// <summary>A speaker's nodes with the multi-speaker claims decided so far: on their date, which every route must then keep.</summary>
    private static ImmutableArray<PlanNodeInfo> With(ImmutableArray<PlanNodeInfo> nodes, List<MultiSpeakerClaim> multis, Dictionary<string, PlanOption?> decided, string speakerId)
    {
        var list = nodes.ToBuilder();
        foreach (var m in multis)
            if (decided.TryGetValue(m.Claim.ClaimId, out var option) && option is not null && m.Nodes.TryGetValue(speakerId, out var node))
                list.Add(node with { Role = PlanRole.Required, Options = [.. node.Options.Where(o => o.FirstDate == option.FirstDate)] });
        return list.ToImmutable();
    }

    /// <summary>
    /// The per-speaker TSPTWs for a spec, as the planner builds them (exposed so tests can hand them to the exact solver);
    /// a multi-speaker claim is in them only when <paramref name="multiSpeakerDates"/> gives its first date.
    /// </summary>
    public static async Task<ImmutableArray<SpeakerProblem>> BuildProblemsAsync(PlanningInput input, PlanSpec spec, ITravelTimeEstimator travel,
        IReadOnlyDictionary<string, LocalDate>? multiSpeakerDates = null)
    {
        var stops = input.Stops.ToDictionary(s => s.StopId);
        var active = input.Tour.Claims.Where(c => ClaimLedger.IsActive(c.Status) && stops.ContainsKey(c.StopId)).ToList();
        var (problems, multis) = BuildNodes(input, spec, active, stops, []);
        var decided = multis.ToDictionary(m => m.Claim.ClaimId, m => multiSpeakerDates?.TryGetValue(m.Claim.ClaimId, out var d) == true
            ? m.Nodes.Values.First().Options.FirstOrDefault(o => o.FirstDate == d) : null);
        var result = ImmutableArray.CreateBuilder<SpeakerProblem>();
        foreach (var speaker in input.Tour.Speakers.Where(s => problems.ContainsKey(s.Id)))
            result.Add(await BuildProblemAsync(input, speaker.Id, With(problems[speaker.Id], multis, decided, speaker.Id), travel));
        return result.ToImmutable();
    }

    /// <summary>The first dates a multi-speaker claim could take, open for each of its speakers (exposed for the tests' oracle).</summary>
    public static ImmutableArray<LocalDate> MultiSpeakerDates(PlanningInput input, PlanSpec spec, string claimId)
    {
        var stops = input.Stops.ToDictionary(s => s.StopId);
        var active = input.Tour.Claims.Where(c => ClaimLedger.IsActive(c.Status) && stops.ContainsKey(c.StopId)).ToList();
        return BuildNodes(input, spec, active, stops, []).Multis.FirstOrDefault(m => m.Claim.ClaimId == claimId)?.Dates ?? [];
    }

    private static (Dictionary<string, ImmutableArray<PlanNodeInfo>> Problems, List<MultiSpeakerClaim> Multis) BuildNodes(PlanningInput input, PlanSpec spec,
        List<ClaimView> active, Dictionary<string, StopSnapshot> stops, List<UnplacedClaim> unplaced)
    {
        var tour = input.Tour;
        var moving = new HashSet<string>(spec.Movable) { };
        if (spec.Relocate is not null) moving.Add(spec.Relocate);
        bool IsFixed(ClaimView c) => c.Status == ClaimStatus.Confirmed && !moving.Contains(c.ClaimId);
        // A date on which a fixed confirmed claim holds the speaker is closed to every other claim: whichever of the two
        // arrived later would queue behind the other, and a confirmed claim must stay first in its queue.
        var fixedSlots = active.Where(IsFixed).SelectMany(ClaimLedger.Slots).ToHashSet();

        var perSpeaker = tour.Speakers.ToDictionary(s => s.Id, _ => new List<PlanNodeInfo>());
        var multis = new List<MultiSpeakerClaim>();
        foreach (var claim in active)
        {
            var stop = stops[claim.StopId];
            if (IsFixed(claim))
            {
                foreach (var sid in claim.SpeakerIds.Where(perSpeaker.ContainsKey))
                    if (Option(stop, 0, sid) is { } here) perSpeaker[sid].Add(new PlanNodeInfo(claim, stop, PlanRole.Fixed, [here], null, null));
                continue;
            }
            var isPending = claim.Status == ClaimStatus.Held;
            if (isPending && !spec.IncludePending && !spec.Pinned.ContainsKey(claim.ClaimId)) continue;
            var speakerIds = claim.SpeakerIds.Where(perSpeaker.ContainsKey).ToList();
            if (speakerIds.Count == 0) continue;
            var firstDates = spec.Pinned.TryGetValue(claim.ClaimId, out var pin) ? [pin]
                : claim.ClaimId == spec.Relocate ? AcceptableDates(claim).Remove(claim.Dates[0])
                : AcceptableDates(claim);
            // Per speaker, the options of each open date; a date is open only when it is open for every speaker.
            var options = speakerIds.ToDictionary(id => id, _ => ImmutableArray.CreateBuilder<PlanOption>());
            var open = ImmutableArray.CreateBuilder<LocalDate>();
            var code = firstDates.IsEmpty ? "no-acceptable-date" : null;
            var reason = firstDates.IsEmpty ? Text.Of(Codes.UnplacedNoOtherDate) : null;
            foreach (var date in firstDates)
            {
                var shift = Period.Between(claim.Dates[0], date, PeriodUnits.Days).Days;
                var (moved, error) = Redate(stop, shift);
                if (moved is null)
                {
                    (code, reason) = ("dst-gap", Text.Of(Codes.UnplacedDstGap, Arg.Date("date", date), Arg.Of("reason", error!)));
                    continue;
                }
                if (speakerIds.Any(sid => moved.Dates.Any(d => fixedSlots.Contains((sid, d)))))
                {
                    (code, reason) = ("date-taken", Text.Of(Codes.UnplacedDateTaken, Arg.Date("date", date)));
                    continue;
                }
                if (speakerIds.Any(sid => tour.Rules.BlackoutDates.TryGetValue(sid, out var blackout) && moved.Dates.Any(blackout.Contains)))
                {
                    (code, reason) = ("blackout-date", Text.Of(Codes.UnplacedBlackout, Arg.Date("date", date)));
                    continue;
                }
                var here = speakerIds.Select(sid => (sid, Option(moved, shift, sid))).ToList();
                if (here.Any(h => h.Item2 is null)) continue;
                foreach (var (sid, o) in here) options[sid].Add(o!);
                open.Add(date);
            }
            var role = isPending && !spec.Pinned.ContainsKey(claim.ClaimId) ? PlanRole.Optional : PlanRole.Required;
            if (open.Count == 0 && role == PlanRole.Optional)
            {
                unplaced.Add(Unplaced(claim, code ?? "no-acceptable-date", reason ?? Text.Of(Codes.UnplacedNoDateOpen)));
                continue;
            }
            var nodes = speakerIds.ToImmutableDictionary(sid => sid, sid => new PlanNodeInfo(claim, stop, role, options[sid].ToImmutable(), code, reason));
            if (speakerIds.Count == 1) perSpeaker[speakerIds[0]].Add(nodes[speakerIds[0]]);
            else multis.Add(new MultiSpeakerClaim(claim, role, open.ToImmutable(), nodes));
        }
        return (tour.Speakers.Where(s => perSpeaker[s.Id].Count > 0 || multis.Any(m => m.Nodes.ContainsKey(s.Id)))
            .ToDictionary(s => s.Id, s => perSpeaker[s.Id].ToImmutableArray()), multis);
    }

    /// <summary>The speaker's span at a stop; a stop with none of the speaker's events may be served any time on its first date.</summary>
    private static PlanOption? Option(StopSnapshot stop, int shift, string speakerId)
    {
        var zone = LocalTimes.FindZone(stop.TimeZone) ?? DateTimeZone.Utc;
        var mine = stop.Events.Where(e => e.SpeakerIds.Contains(speakerId)).ToList();
        if (mine.Count == 0)
        {
            if (stop.Dates.IsDefaultOrEmpty) return null;
            var dayStart = zone.AtStartOfDay(stop.Dates[0]).ToInstant();
            return new PlanOption(stop.Dates[0], shift, stop, dayStart, dayStart + Duration.FromHours(23), Duration.Zero);
        }
        var starts = mine.Select(e => LocalTimes.ResolveStored(e.Start, zone).ToInstant()).ToList();
        var first = starts.Min();
        var last = mine.Zip(starts, (e, s) => s + Duration.FromMinutes(e.DurationMinutes)).Max();
        return new PlanOption(stop.Dates[0], shift, stop, first, first, last - first);
    }

    private static async Task<SpeakerProblem> BuildProblemAsync(PlanningInput input, string speakerId, ImmutableArray<PlanNodeInfo> nodes, ITravelTimeEstimator travel)
    {
        var anchor = input.Tour.StartDate.AtMidnight().InUtc().ToInstant();
        var home = input.Tour.Speakers.First(s => s.Id == speakerId).Home;
        var places = new List<GeoPoint?> { home };
        places.AddRange(nodes.Select(n => n.Stop.Location));
        var n = places.Count;
        var matrix = new int[n, n];
        var buffer = input.Tour.Rules.TravelBufferMinutes;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                if (i == j || places[i] is not { } a || places[j] is not { } b) continue;
                var minutes = (await travel.EstimateAsync(a, b)).Minutes;
                // Legs from and to home carry no buffer: the rules only time legs between events.
                matrix[i, j] = minutes <= 0 ? 0 : minutes + (i == 0 || j == 0 ? 0 : buffer);
            }
        var all = nodes.SelectMany(x => x.Options).ToList();
        var lo = all.Count == 0 ? 0 : all.Min(o => Minutes(anchor, o.Earliest));
        var hi = all.Count == 0 ? 0 : all.Max(o => Minutes(anchor, o.Latest) + (int)Math.Ceiling(o.Service.TotalMinutes));
        var planning = ImmutableArray.CreateBuilder<PlanningNode>(n);
        planning.Add(PlanningNode.Depot(new TimeWindow(lo - DepotSlackMinutes, hi + DepotSlackMinutes)));
        foreach (var node in nodes)
        {
            var service = node.Options.IsEmpty ? 0 : (int)Math.Ceiling(node.Options.Max(o => o.Service.TotalMinutes));
            // Every option of a claim has the same events shifted by whole days, so the service differs only across
            // a DST change by the offset change; the largest keeps every accepted route valid.
            var windows = node.Options.Select(o => new TimeWindow(Minutes(anchor, o.Earliest), Minutes(anchor, o.Latest))).ToImmutableArray();
            if (windows.IsEmpty) windows = [new TimeWindow(int.MinValue / 4, int.MinValue / 4)]; // a required claim with no open date: unreachable
            planning.Add(node.Role == PlanRole.Optional
                ? new PlanningNode(service, windows, Mandatory: false, Priority: Math.Max(1, node.Claim.Priority))
                : new PlanningNode(service, windows, Mandatory: true, Priority: 0));
        }
        return new SpeakerProblem(speakerId, new PlanningProblem(TravelMatrix.FromArray(matrix), planning.MoveToImmutable()), nodes, anchor);
    }

    private static int Minutes(Instant anchor, Instant at) => (int)Math.Floor((at - anchor).TotalMinutes);

    /// <summary>
    /// Drops placements until the result passes confirm's rules: the ledger (every placed and confirmed claim first in
    /// its queues) and ScheduleAnalyzer (overlap, travel, rest, events per day, blackout). Returns a failure when a
    /// required claim would have to go.
    /// </summary>
    private static async Task<Text?> VerifyAsync(PlanningInput input, List<ClaimView> active, Dictionary<string, StopSnapshot> stops,
        Dictionary<string, (PlanNodeInfo Node, PlanOption Option)> placed, List<UnplacedClaim> unplaced, ITravelTimeEstimator travel, CancellationToken hard)
    {
        var tour = input.Tour;
        var arrival = active.Select((c, i) => (c.ClaimId, i)).ToDictionary(p => p.ClaimId, p => p.i);
        while (true)
        {
            hard.ThrowIfCancellationRequested();
            var blame = new Dictionary<string, (string Code, Text Reason)>();
            var hypothetical = active.Select(c => placed.TryGetValue(c.ClaimId, out var p) ? c with { Dates = p.Option.Stop.Dates } : c).ToImmutableArray();
            var ranked = ClaimLedger.Recompute(hypothetical, tour.CreatedAt, tour.Rules);
            foreach (var c in ranked.Where(c => c.Rank != 1 && (placed.ContainsKey(c.ClaimId) || c.Status == ClaimStatus.Confirmed)))
            {
                var ahead = ranked.Where(o => arrival[o.ClaimId] < arrival[c.ClaimId] && ClaimLedger.Slots(o).Intersect(ClaimLedger.Slots(c)).Any()).ToList();
                if (placed.ContainsKey(c.ClaimId))
                    blame.TryAdd(c.ClaimId, ("queued", Text.Of(Codes.UnplacedQueued, Arg.Plain("cities", string.Join(", ", ahead.Select(a => a.City))), Arg.Dates("dates", c.Dates))));
                foreach (var a in ahead.Where(a => placed.ContainsKey(a.ClaimId)))
                    blame.TryAdd(a.ClaimId, ("queued", Text.Of(Codes.UnplacedAheadOfConfirmed, Arg.Plain("city", c.City))));
            }

            if (blame.Count == 0)
            {
                var confirmed = ranked.Where(c => c.Status == ClaimStatus.Confirmed && !placed.ContainsKey(c.ClaimId)).Select(c => stops[c.StopId])
                    .Concat(placed.Values.Select(p => p.Option.Stop with { Status = ClaimStatus.Confirmed })).ToImmutableArray();
                var changed = placed.Values.SelectMany(p => p.Option.Stop.Events.Select(e => (e.EventId, p.Node.Claim.ClaimId))).ToDictionary(x => x.EventId, x => x.ClaimId);
                foreach (var speaker in tour.Speakers)
                {
                    var t = ScheduleAnalyzer.Timeline(speaker.Id, confirmed);
                    foreach (var conflict in ScheduleAnalyzer.Check(speaker.Id, tour.Rules, t, await ScheduleAnalyzer.LegsAsync(t, travel)))
                    {
                        if (conflict.Severity != "error") continue;
                        var involved = conflict.EventIds.Where(changed.ContainsKey).Select(e => changed[e]).Distinct().ToList();
                        if (involved.Count == 0 || involved.Any(blame.ContainsKey)) continue;
                        // Give up the least valuable optional claim involved; among equals, the one that arrived last.
                        var victim = involved.Where(id => placed[id].Node.Role == PlanRole.Optional)
                            .OrderBy(id => placed[id].Node.Claim.Priority).ThenByDescending(id => arrival[id]).FirstOrDefault();
                        var why = conflict.Text ?? Text.Of(Codes.ConflictUnexplained, Arg.Plain("code", conflict.Code));
                        if (victim is null)
                            return Text.Of(Codes.PlanPlacingBreaksRule, Arg.Plain("cities", string.Join(", ", involved.Select(id => placed[id].Node.Claim.City))), Arg.Of("reason", why));
                        blame[victim] = (conflict.Code, why);
                    }
                }
            }
            if (blame.Count == 0) return null;
            foreach (var (claimId, (code, reason)) in blame)
            {
                var node = placed[claimId].Node;
                if (node.Role != PlanRole.Optional) return Text.Of(Codes.PlanCannotPlace, Arg.Plain("city", node.Claim.City), Arg.Of("reason", reason));
                placed.Remove(claimId);
                unplaced.Add(Unplaced(node.Claim, code, reason));
            }
        }
    }

    private static async Task<(ImmutableArray<PlannedRoute>, int)> RoutesAsync(PlanningInput input, List<ClaimView> active, Dictionary<string, StopSnapshot> stops,
        Dictionary<string, (PlanNodeInfo Node, PlanOption Option)> placed, ITravelTimeEstimator travel)
    {
        var routes = ImmutableArray.CreateBuilder<PlannedRoute>();
        var total = 0;
        var buffer = input.Tour.Rules.TravelBufferMinutes;
        foreach (var speaker in input.Tour.Speakers)
        {
            var entries = new List<(ClaimView Claim, PlanOption Option, bool Confirmed)>();
            foreach (var c in active)
            {
                if (!c.SpeakerIds.Contains(speaker.Id)) continue;
                // The placed stop is the same for all of a claim's speakers; each speaker's span there is their own.
                if (placed.TryGetValue(c.ClaimId, out var p) && Option(p.Option.Stop, p.Option.ShiftDays, speaker.Id) is { } mine)
                    entries.Add((c, mine, c.Status == ClaimStatus.Confirmed));
                else if (c.Status == ClaimStatus.Confirmed && Option(stops[c.StopId], 0, speaker.Id) is { } here) entries.Add((c, here, true));
            }
            if (entries.Count == 0) continue;
            entries = [.. entries.OrderBy(e => e.Option.Earliest).ThenBy(e => e.Claim.ClaimId, StringComparer.Ordinal)];
            var list = ImmutableArray.CreateBuilder<PlannedClaim>();
            GeoPoint? previous = speaker.Home;
            int minutes = 0, withBuffers = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                var (claim, option, confirmed) = entries[i];
                var estimate = previous is { } a && option.Stop.Location is { } b ? await travel.EstimateAsync(a, b) : null;
                var leg = estimate?.Minutes ?? 0;
                minutes += leg;
                withBuffers += leg + (i > 0 && leg > 0 ? buffer : 0);
                previous = option.Stop.Location;
                list.Add(new PlannedClaim
                {
                    ClaimId = claim.ClaimId, StopId = claim.StopId, City = claim.City, SpeakerId = speaker.Id, Dates = option.Stop.Dates,
                    FromDates = claim.Dates, WasConfirmed = confirmed, Start = option.Earliest, End = option.Earliest + option.Service,
                    Priority = claim.Priority, TravelMinutesFromPrevious = leg, TravelSource = estimate?.Source, TravelMode = estimate?.Mode,
                    SpeakerIds = claim.SpeakerIds,
                });
            }
            if (previous is { } last && speaker.Home is { } home)
            {
                var back = (await travel.EstimateAsync(last, home)).Minutes;
                minutes += back;
                withBuffers += back;
            }
            total += minutes;
            routes.Add(new PlannedRoute { SpeakerId = speaker.Id, Stops = list.ToImmutable(), TravelMinutes = minutes, SolverTravel = withBuffers });
        }
        return (routes.ToImmutable(), total);
    }

    /// <summary>The claim not placed, its reason worded from the catalogue (the plan is the organizer's: nothing is redacted).</summary>
    private static UnplacedClaim Unplaced(ClaimView c, string code, Text reason) => new()
    {
        ClaimId = c.ClaimId, StopId = c.StopId, City = c.City, Code = code,
        Reason = Catalogue.Default.Render(reason, "en"), ReasonEs = Catalogue.Default.Render(reason, "es"),
    };
}
