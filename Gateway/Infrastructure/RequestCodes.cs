using TourPlanner.Grains;

namespace TourPlanner.Gateway.Infrastructure;

/// <summary>
/// Message codes the Gateway produces itself (reading requests, links, HTTP statuses), beside the rules' own
/// <see cref="Codes"/>. The same catalogue holds their words; a test reads this class by reflection too.
/// </summary>
public static class RequestCodes
{
    // Titles of problem+json answers, one per kind of failure.
    public static readonly MessageCode TitleInvalid = new("title.invalid");
    public static readonly MessageCode TitleBadRequest = new("title.bad-request");
    public static readonly MessageCode TitleMalformedJson = new("title.malformed-json");
    public static readonly MessageCode TitleBodyTooLarge = new("title.body-too-large");
    public static readonly MessageCode TitleUnauthorized = new("title.unauthorized");
    public static readonly MessageCode TitleForbidden = new("title.forbidden");
    public static readonly MessageCode TitleNotFound = new("title.not-found");
    public static readonly MessageCode TitleMethodNotAllowed = new("title.method-not-allowed");
    public static readonly MessageCode TitleNotAcceptable = new("title.not-acceptable");
    public static readonly MessageCode TitleConflict = new("title.conflict");
    public static readonly MessageCode TitleGone = new("title.gone");
    public static readonly MessageCode TitleUnsupportedMediaType = new("title.unsupported-media-type");
    public static readonly MessageCode TitleKeyReused = new("title.key-reused");
    public static readonly MessageCode TitleLimit = new("title.limit");
    public static readonly MessageCode TitleTooManyRequests = new("title.too-many-requests");
    public static readonly MessageCode TitleError = new("title.error");
    public static readonly MessageCode TitleUnavailable = new("title.unavailable");
    public static readonly MessageCode TitleGeocodingUnavailable = new("title.geocoding-unavailable");

    // Reading a request.
    public static readonly MessageCode ErrorLogged = new("problem.error-logged");
    public static readonly MessageCode BodyTooLarge = new("body.too-large", "max");
    public static readonly MessageCode BodyMissing = new("body.missing");
    public static readonly MessageCode JsonIncomplete = new("json.incomplete");
    public static readonly MessageCode JsonMalformed = new("json.malformed", "line", "position");
    public static readonly MessageCode JsonInvalidValue = new("json.invalid-value", "expected");
    public static readonly MessageCode ParameterInvalid = new("request.parameter-invalid", "expected");
    public static readonly MessageCode RequestUnreadable = new("request.unreadable");
    public static readonly MessageCode NotFoundHere = new("request.not-found");

    // Links, tokens and limits on callers.
    public static readonly MessageCode TokenInvalid = new("token.invalid");
    public static readonly MessageCode TokenRequired = new("token.required");
    public static readonly MessageCode AccessDenied = new("access.denied");
    public static readonly MessageCode IdempotencyKeyBad = new("idempotency.bad-key");
    public static readonly MessageCode RateTours = new("rate.tours");
    public static readonly MessageCode RateTokens = new("rate.tokens");
    public static readonly MessageCode RateSignups = new("rate.signups");
    public static readonly MessageCode CreationKeyNeeded = new("tour.creation-key-needed", "header");
    public static readonly MessageCode CreationKeyWrong = new("tour.creation-key-wrong");
    public static readonly MessageCode RouteKeptChanging = new("route.kept-changing");
    public static readonly MessageCode TourDeleted = new("tour.deleted");

    // The organizer's CSV export: column headers and cell words.
    public static readonly MessageCode CsvHost = new("export.csv.host");
    public static readonly MessageCode CsvContactName = new("export.csv.contact-name");
    public static readonly MessageCode CsvContactEmail = new("export.csv.contact-email");
    public static readonly MessageCode CsvContactPhone = new("export.csv.contact-phone");
    public static readonly MessageCode CsvCity = new("export.csv.city");
    public static readonly MessageCode CsvCountry = new("export.csv.country");
    public static readonly MessageCode CsvDates = new("export.csv.dates");
    public static readonly MessageCode CsvStatus = new("export.csv.status");
    public static readonly MessageCode CsvVenue = new("export.csv.venue");
    public static readonly MessageCode CsvAddress = new("export.csv.address");
    public static readonly MessageCode CsvAddressVisibility = new("export.csv.address-visibility");
    public static readonly MessageCode CsvEvent = new("export.csv.event");
    public static readonly MessageCode CsvStart = new("export.csv.start");
    public static readonly MessageCode CsvDuration = new("export.csv.duration");
    public static readonly MessageCode CsvPublic = new("export.csv.public");
    public static readonly MessageCode CsvDescription = new("export.csv.description");
    public static readonly MessageCode CsvSignups = new("export.csv.signups");
    public static readonly MessageCode CsvYes = new("export.csv.yes");
    public static readonly MessageCode CsvNo = new("export.csv.no");
    public static readonly MessageCode CsvVisibilityFull = new("export.csv.visibility-full");
    public static readonly MessageCode CsvVisibilityCity = new("export.csv.visibility-city");
    public static readonly MessageCode CsvVisibilityOnRequest = new("export.csv.visibility-on-request");
    public static readonly MessageCode StoreUnavailable = new("service.store-unavailable");
    public static readonly MessageCode SiloNotActive = new("service.silo-not-active", "status");
    public static readonly MessageCode ClusterNotConnected = new("service.cluster-not-connected");
    public static readonly MessageCode ClusterSilent = new("service.cluster-silent");
    public static readonly MessageCode LiveBusy = new("live.busy");

    // What a resource lookup did not find.
    public static readonly MessageCode NoTourAtAddress = new("tour.no-such-address");
    public static readonly MessageCode NoSuchStop = new("stop.no-such");
    public static readonly MessageCode StopOfAnotherGroup = new("stop.other-host");
    public static readonly MessageCode NoSuchHost = new("host.no-such");
    public static readonly MessageCode NoSuchSpeaker = new("speaker.no-such");
    public static readonly MessageCode FeedNoSpeaker = new("feed.no-speaker");
    public static readonly MessageCode FeedNoEvent = new("feed.no-event");
    public static readonly MessageCode FeedUnknownCity = new("feed.unknown-city");
    public static readonly MessageCode BlackoutsElsewhere = new("tour.blackouts-elsewhere", "path");

    // The speaker's pages: day sheets, a stop's lodging and notes, the private feed link, and the words the private feed adds.
    public static readonly MessageCode DaySheetsOwnOnly = new("days.own-only");
    public static readonly MessageCode FeedLinkOwnOnly = new("feed.link-own-only");
    public static readonly MessageCode LogisticsNotYours = new("logistics.not-yours");
    public static readonly MessageCode FeedPrivateName = new("feed.private-name", "tour");
    public static readonly MessageCode FeedLegTitle = new("feed.leg-title", "from", "to", "mode", "minutes");
    public static readonly MessageCode FeedLegTitleOf = new("feed.leg-title-of", "speaker", "from", "to", "mode", "minutes");
    public static readonly MessageCode FeedLegHow = new("feed.leg-how", "km", "minutes", "mode", "source");
    public static readonly MessageCode FeedLegAfter = new("feed.leg-after", "buffer", "event");
    public static readonly MessageCode FeedLegBefore = new("feed.leg-before", "buffer", "event");
    public static readonly MessageCode FeedHome = new("feed.home");
    public static readonly MessageCode FeedModeDrive = new("feed.mode.drive");
    public static readonly MessageCode FeedModeFly = new("feed.mode.fly");
    public static readonly MessageCode FeedByRoad = new("feed.by.road");
    public static readonly MessageCode FeedByAir = new("feed.by.air");
    public static readonly MessageCode FeedSourceEstimate = new("feed.source.estimate");
    public static readonly MessageCode FeedSourceRouted = new("feed.source.routed");
    public static readonly MessageCode FeedLodging = new("feed.logistics.lodging", "text");
    public static readonly MessageCode FeedParking = new("feed.logistics.parking", "text");
    public static readonly MessageCode FeedEntrance = new("feed.logistics.entrance", "text");
    public static readonly MessageCode FeedInterpreter = new("feed.logistics.interpreter", "text");
    public static readonly MessageCode FeedNotes = new("feed.logistics.notes", "text");

    // Outside services.
    public static readonly MessageCode GeocodingNotConfigured = new("geocode.not-configured");
    public static readonly MessageCode GeocodingNoAnswer = new("geocode.no-answer");

    /// <summary>The title of a problem with this status.</summary>
    public static MessageCode TitleFor(int status) => status switch
    {
        400 => TitleBadRequest,
        401 => TitleUnauthorized,
        403 => TitleForbidden,
        404 => TitleNotFound,
        405 => TitleMethodNotAllowed,
        406 => TitleNotAcceptable,
        409 => TitleConflict,
        410 => TitleGone,
        413 => TitleBodyTooLarge,
        415 => TitleUnsupportedMediaType,
        422 => TitleKeyReused,
        429 => TitleTooManyRequests,
        503 => TitleUnavailable,
        _ => TitleError,
    };
}
