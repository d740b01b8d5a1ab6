namespace TourPlanner.Grains;

/// <summary>
/// Every message code the tour's rules can produce, with the placeholders its templates take. The catalogue must hold
/// each one in English and Spanish with exactly these placeholders (a test reads this class by reflection).
/// </summary>
public static class Codes
{
    // ---- fields of a request ----
    public static readonly MessageCode FieldRequired = new("field.required", "field");
    public static readonly MessageCode FieldRequiredAs = new("field.required-as", "field", "format");
    public static readonly MessageCode FieldTooLong = new("field.too-long", "field", "max");
    public static readonly MessageCode FieldRange = new("field.range", "field", "min", "max");
    public static readonly MessageCode FieldBefore = new("field.before", "field", "other");
    public static readonly MessageCode FieldEmail = new("field.email", "field");
    public static readonly MessageCode FieldLanguage = new("field.language", "field");
    public static readonly MessageCode FieldUnparsable = new("field.unparsable", "value", "field", "format");
    public static readonly MessageCode FieldControlCharacters = new("field.control-characters", "field");
    public static readonly MessageCode ItemRequired = new("field.item-required");
    public static readonly MessageCode BodyRequired = new("body.required");

    // What a value should look like, named inside other messages.
    public static readonly MessageCode FormatDate = new("format.date");
    public static readonly MessageCode FormatLocalDateTime = new("format.local-date-time");
    public static readonly MessageCode FormatTime = new("format.time");
    public static readonly MessageCode FormatNumber = new("format.number");
    public static readonly MessageCode FormatWholeNumber = new("format.whole-number");
    public static readonly MessageCode FormatBoolean = new("format.boolean");
    public static readonly MessageCode FormatText = new("format.text");
    public static readonly MessageCode FormatList = new("format.list");
    public static readonly MessageCode FormatObject = new("format.object");
    public static readonly MessageCode FormatValue = new("format.value");

    // ---- places and zones ----
    public static readonly MessageCode ZoneRequired = new("zone.required", "field");
    public static readonly MessageCode ZoneUnknown = new("zone.unknown", "zone");
    public static readonly MessageCode ZoneImplausible = new("zone.implausible", "zone", "coordinates", "place", "suggestion");
    public static readonly MessageCode ZoneImplausibleNoPlace = new("zone.implausible-no-place", "zone", "coordinates", "suggestion");
    public static readonly MessageCode LatitudeRange = new("geo.latitude-range");
    public static readonly MessageCode LongitudeRange = new("geo.longitude-range");
    public static readonly MessageCode LatitudeMissing = new("geo.latitude-missing");
    public static readonly MessageCode LongitudeMissing = new("geo.longitude-missing");
    public static readonly MessageCode CoordinatesRequired = new("geo.coordinates-required", "field");
    public static readonly MessageCode SuggestCoordinatesRequired = new("geo.coordinates-required-to-suggest");

    // ---- local times people type ----
    public static readonly MessageCode TimeGap = new("time.gap", "local", "zone", "date", "from", "to", "before", "after");
    public static readonly MessageCode TimeRepeated = new("time.repeated", "local", "zone", "earlier", "earlierName", "later", "laterName");

    // ---- tours ----
    public static readonly MessageCode TourEndBeforeStart = new("tour.end-before-start", "end", "start");
    public static readonly MessageCode TourTooLong = new("tour.too-long", "max");
    public static readonly MessageCode TourNoSpeaker = new("tour.no-speaker");
    public static readonly MessageCode TourTooManySpeakers = new("tour.too-many-speakers", "max");
    public static readonly MessageCode TourExists = new("tour.exists");
    public static readonly MessageCode TourNotFound = new("tour.not-found");
    public static readonly MessageCode TourClaimWouldFallOutside = new("tour.claim-would-fall-outside", "city", "date");
    public static readonly MessageCode BlackoutNotSpeakerIndex = new("blackout.not-speaker-index", "key", "max");
    public static readonly MessageCode BlackoutNotAList = new("blackout.not-a-list");
    public static readonly MessageCode BlackoutTooMany = new("blackout.too-many", "max");

    // ---- limits per tour ----
    public static readonly MessageCode LimitClaims = new("limit.claims", "max");
    public static readonly MessageCode LimitEvents = new("limit.events", "max");
    public static readonly MessageCode LimitHosts = new("limit.hosts", "max");
    public static readonly MessageCode LimitOrganizers = new("limit.organizers", "max");
    public static readonly MessageCode LimitLinks = new("limit.links", "count");

    // ---- claims ----
    public static readonly MessageCode ClaimNoDates = new("claim.no-dates");
    public static readonly MessageCode ClaimTooManyDates = new("claim.too-many-dates", "max");
    public static readonly MessageCode ClaimDatesNotConsecutive = new("claim.dates-not-consecutive");
    public static readonly MessageCode DateOutsideTour = new("date.outside-tour", "date", "start", "end");
    public static readonly MessageCode DateInPast = new("date.past", "date", "today", "zone");
    public static readonly MessageCode ClaimTooManyAcceptableDates = new("claim.too-many-acceptable-dates", "max");
    public static readonly MessageCode ClaimVisitOutsideTour = new("claim.visit-outside-tour", "days", "date", "start", "end");
    public static readonly MessageCode ClaimTooManyEvents = new("claim.too-many-events", "max");
    public static readonly MessageCode ClaimWindowTooLong = new("claim.window-too-long", "max");
    public static readonly MessageCode VenueCalendarUrl = new("venue.calendar-url");
    public static readonly MessageCode ClaimHostOnly = new("claim.host-only");
    public static readonly MessageCode ClaimNotFound = new("claim.not-found", "id");
    public static readonly MessageCode ClaimNotFoundOfHost = new("claim.not-found-of-host", "id");
    public static readonly MessageCode ClaimNotConfirmable = new("claim.not-confirmable", "status");
    public static readonly MessageCode ClaimNotRankOne = new("claim.not-rank-one", "rank");
    public static readonly MessageCode ClaimBreaksRules = new("claim.breaks-rules");
    public static readonly MessageCode ClaimReleaseNotAllowed = new("claim.release-not-allowed");
    public static readonly MessageCode ClaimReleaseConfirmed = new("claim.release-confirmed");
    public static readonly MessageCode ClaimAlreadyEnded = new("claim.already-ended", "status");
    public static readonly MessageCode RouteChanged = new("route.changed");
    public static readonly MessageCode StatusHeld = new("status.held");
    public static readonly MessageCode StatusConfirmed = new("status.confirmed");
    public static readonly MessageCode StatusReleased = new("status.released");
    public static readonly MessageCode StatusExpired = new("status.expired");
    public static readonly MessageCode StatusCancelled = new("status.cancelled");

    /// <summary>A claim's status as a word.</summary>
    public static Text Status(ClaimStatus status) => Text.Of(status switch
    {
        ClaimStatus.Held => StatusHeld,
        ClaimStatus.Confirmed => StatusConfirmed,
        ClaimStatus.Released => StatusReleased,
        ClaimStatus.Expired => StatusExpired,
        _ => StatusCancelled,
    });

    // ---- stops and their events ----
    public static readonly MessageCode StopNotFound = new("stop.not-found", "id");
    public static readonly MessageCode StopNothingToCancel = new("stop.nothing-to-cancel", "status");
    public static readonly MessageCode StopTooManyEvents = new("stop.too-many-events", "max");
    public static readonly MessageCode StopSpeakerNotInClaim = new("stop.speaker-not-in-claim");
    public static readonly MessageCode StopKeepsOneEvent = new("stop.keeps-one-event");
    public static readonly MessageCode StopVenueBusy = new("stop.venue-busy");
    public static readonly MessageCode StopChangeBreaksRules = new("stop.change-breaks-rules");
    public static readonly MessageCode StopChangeNotAllowed = new("stop.change-not-allowed");
    public static readonly MessageCode StopInactive = new("stop.inactive", "status");
    public static readonly MessageCode EventNotFound = new("event.not-found", "id");
    public static readonly MessageCode EventStartNotOnDates = new("event.start-not-on-dates", "start", "dates");
    public static readonly MessageCode EventNoSpeakers = new("event.no-speakers");
    public static readonly MessageCode EventUnknownSpeaker = new("event.unknown-speaker", "id");

    // ---- plans ----
    public static readonly MessageCode PlanOtherTour = new("plan.other-tour");
    public static readonly MessageCode PlanStale = new("plan.stale", "read", "current");
    public static readonly MessageCode PlanClaimChanged = new("plan.claim-changed", "id", "status");
    public static readonly MessageCode PlanCannotMove = new("plan.cannot-move", "city", "date", "reason");
    public static readonly MessageCode PlanEventInGap = new("plan.event-in-gap", "title", "reason");
    public static readonly MessageCode PlanWouldQueue = new("plan.would-queue", "city");
    public static readonly MessageCode PlanRepairStopGone = new("plan.repair-stop-gone");
    public static readonly MessageCode PlanBreaksRules = new("plan.breaks-rules");
    // Planning requests and their answers: field limits, refusals, why a claim was not placed, repair notes.
    public static readonly MessageCode FieldAtLeast = new("field.at-least", "field", "min");
    public static readonly MessageCode FieldNotNegative = new("field.not-negative", "field");
    public static readonly MessageCode PlanServerRange = new("plan.server-range", "field", "min", "max");
    public static readonly MessageCode PlanRepairBodyRequired = new("plan.repair-body-required");
    public static readonly MessageCode PlanProposalNotFound = new("plan.proposal-not-found", "id", "max");
    public static readonly MessageCode PlanPinNotHeld = new("plan.pin-not-held", "status");
    public static readonly MessageCode PlanPinnedTwice = new("plan.pinned-twice");
    public static readonly MessageCode PlanPinDateNotAcceptable = new("plan.pin-date-not-acceptable", "date", "dates");
    public static readonly MessageCode PlanRepairNotConfirmed = new("plan.repair-not-confirmed", "status");
    public static readonly MessageCode PlanRunning = new("plan.running");
    public static readonly MessageCode PlannerBusy = new("plan.planner-busy");
    public static readonly MessageCode PlanAbandoned = new("plan.abandoned", "seconds");
    public static readonly MessageCode PlanPinnedStopped = new("plan.pinned-stopped", "limit", "failure");
    public static readonly MessageCode PlanPinnedInfeasible = new("plan.pinned-infeasible", "failure");
    public static readonly MessageCode PlanRequiredNoCommonDate = new("plan.required-no-common-date", "city", "id");
    public static readonly MessageCode PlanRequiredNoRoute = new("plan.required-no-route", "city", "id");
    public static readonly MessageCode PlanPlacingBreaksRule = new("plan.placing-breaks-rule", "cities", "reason");
    public static readonly MessageCode PlanCannotPlace = new("plan.cannot-place", "city", "reason");
    public static readonly MessageCode PlanStopIterations = new("plan.stop.iterations");
    public static readonly MessageCode PlanStopTime = new("plan.stop.time");
    public static readonly MessageCode PlanStopServerIterations = new("plan.stop.server-iterations", "max");
    public static readonly MessageCode PlanStopServerTime = new("plan.stop.server-time", "seconds");
    public static readonly MessageCode PlanStopConverged = new("plan.stop.converged");
    public static readonly MessageCode UnplacedNoOtherDate = new("plan.unplaced.no-other-date");
    public static readonly MessageCode UnplacedNoDateOpen = new("plan.unplaced.no-date-open");
    public static readonly MessageCode UnplacedDstGap = new("plan.unplaced.dst-gap", "date", "reason");
    public static readonly MessageCode UnplacedDateTaken = new("plan.unplaced.date-taken", "date");
    public static readonly MessageCode UnplacedBlackout = new("plan.unplaced.blackout-date", "date");
    public static readonly MessageCode UnplacedNoCommonDate = new("plan.unplaced.no-common-date");
    public static readonly MessageCode UnplacedMultiConflicts = new("plan.unplaced.multi-conflicts");
    public static readonly MessageCode UnplacedMandatoryInfeasible = new("plan.unplaced.mandatory-infeasible");
    public static readonly MessageCode UnplacedUnreachable = new("plan.unplaced.unreachable");
    public static readonly MessageCode UnplacedConflictsWithPlaced = new("plan.unplaced.conflicts-with-placed");
    public static readonly MessageCode UnplacedQueued = new("plan.unplaced.queued", "cities", "dates");
    public static readonly MessageCode UnplacedAheadOfConfirmed = new("plan.unplaced.ahead-of-confirmed", "city");
    public static readonly MessageCode RepairCancelledAlready = new("plan.repair.cancelled-already");
    public static readonly MessageCode RepairNoMoveStopped = new("plan.repair.no-move-stopped", "city", "limit");
    public static readonly MessageCode RepairNoMove = new("plan.repair.no-move", "city", "max");
    public static readonly MessageCode RepairMoves = new("plan.repair.moves", "city");
    public static readonly MessageCode RepairMovesOthers = new("plan.repair.moves-others", "city", "count");

    // ---- people and links ----
    public static readonly MessageCode SpeakerNotFound = new("speaker.not-found", "id");
    public static readonly MessageCode SpeakerLast = new("speaker.last");
    public static readonly MessageCode SpeakerHasConfirmedEvents = new("speaker.has-confirmed-events", "name", "events");
    public static readonly MessageCode SpeakerConfirmedEvent = new("speaker.confirmed-event", "title", "city", "start");
    public static readonly MessageCode HostNotFound = new("host.not-found", "id");
    public static readonly MessageCode PersonNotFound = new("person.not-found", "role", "id");
    public static readonly MessageCode RoleOrganizer = new("role.organizer");
    public static readonly MessageCode RoleSpeaker = new("role.speaker");
    public static readonly MessageCode RoleHost = new("role.host");
    public static readonly MessageCode LinkNotFound = new("link.not-found", "id");
    public static readonly MessageCode KeyReused = new("idempotency.key-reused");
    public static readonly MessageCode InvalidFields = new("problem.invalid-fields");

    // ---- date suggestions ----
    public static readonly MessageCode SuggestTooManyDays = new("suggest.too-many-days", "max");
    public static readonly MessageCode SuggestOutsideTour = new("suggest.outside-tour", "start", "end");
    public static readonly MessageCode SuggestStartInGap = new("suggest.start-in-gap", "local", "zone");
    public static readonly MessageCode SuggestDateConfirmed = new("suggest.date-confirmed", "city");
    public static readonly MessageCode SuggestFits = new("suggest.fits", "minutes");
    public static readonly MessageCode SuggestFitsQueued = new("suggest.fits-queued", "minutes", "ahead", "position");

    // ---- conflicts (the conflict's own code, e.g. travel-impossible, is the stable one in the API) ----
    public static readonly MessageCode ConflictLocationMissing = new("conflict.location-missing", "from", "to");
    public static readonly MessageCode ConflictRestTooShort = new("conflict.rest-too-short", "rest", "a", "aEnd", "b", "bStart", "minRest");
    public static readonly MessageCode ConflictTooManyEvents = new("conflict.too-many-events", "events", "date", "max");
    public static readonly MessageCode ConflictBlackout = new("conflict.blackout-date", "event", "date");
    public static readonly MessageCode ConflictStartInGap = new("conflict.start-in-gap", "event", "typed", "zone", "start");
    public static readonly MessageCode ConflictStartAmbiguous = new("conflict.start-ambiguous", "event", "typed", "zone", "earlier", "later");
    public static readonly MessageCode ConflictEventsOverlap = new("conflict.events-overlap", "a", "aStart", "aEnd", "b", "bStart", "bEnd", "city");
    public static readonly MessageCode ConflictDoubleBooked = new("conflict.speaker-double-booked", "a", "aStart", "aEnd", "b", "bStart", "bEnd");
    public static readonly MessageCode ConflictTravelImpossible =
        new("conflict.travel-impossible", "from", "to", "leaves", "mode", "km", "minutes", "buffer", "arrives", "b", "starts");
    // The way from and back home (ScheduleAnalyzer.CheckTrip); {home} is the speaker's home city, or trip.home when not given.
    public static readonly MessageCode ConflictHomeLegBeforeTour =
        new("conflict.home-leg-before-tour", "city", "event", "start", "buffer", "speaker", "home", "leaves", "tourStart");
    public static readonly MessageCode ConflictReturnAfterTour = new("conflict.return-after-tour", "city", "leaves", "event", "buffer", "home", "arrives", "tourEnd");
    public static readonly MessageCode TripHome = new("trip.home");
    public static readonly MessageCode ConflictVenueUnavailable = new("conflict.venue-calendar-unavailable", "venue", "city", "reason");
    public static readonly MessageCode ConflictVenueBusy = new("conflict.venue-busy", "venue", "city", "busyStart", "busyEnd", "event", "start", "end");
    public static readonly MessageCode CountEvents = new("count.events", "count");
    public static readonly MessageCode CountTooManyEvents = new("count.too-many-events");
    public static readonly MessageCode TravelFlying = new("travel.flying");
    public static readonly MessageCode TravelDriving = new("travel.driving");
    public static readonly MessageCode EventInCity = new("event.in-city", "title", "city");
    public static readonly MessageCode EventOtherInCity = new("event.other-in-city", "city");
    public static readonly MessageCode EventTitled = new("event.titled", "title");
    public static readonly MessageCode EventOther = new("event.other");
    public static readonly MessageCode EventProposedInCity = new("event.proposed-in-city", "city");
    public static readonly MessageCode EventProposed = new("event.proposed");
    public static readonly MessageCode VenueSubjectNamed = new("venue.subject-named", "name");
    public static readonly MessageCode VenueSubject = new("venue.subject");
    public static readonly MessageCode VenueOfNamed = new("venue.of-named", "name");
    public static readonly MessageCode VenueOf = new("venue.of");
    public static readonly MessageCode VenueReasonHidden = new("venue.reason-hidden");
    /// <summary>A conflict that came without its own explanation: its code says which rule.</summary>
    public static readonly MessageCode ConflictUnexplained = new("conflict.unexplained", "code");

    // ---- privacy ----
    public static readonly MessageCode PurgeTooLate = new("privacy.purge-too-late", "latest", "days");
    public static readonly MessageCode PurgeAlreadyDone = new("privacy.already-purged");
    public static readonly MessageCode HostWithdrawn = new("host.withdrawn", "name");
    public static readonly MessageCode HostWithdrawNotAllowed = new("host.withdraw-not-allowed");
    public static readonly MessageCode SignupNotOnRequest = new("signup.not-on-request", "city");
    public static readonly MessageCode SignupStopNotPublished = new("signup.stop-not-published");
    public static readonly MessageCode LimitSignups = new("limit.signups", "max");
    public static readonly MessageCode FieldAddressVisibility = new("field.address-visibility", "field");

}
