using System.Collections.Immutable;
using NodaTime;

namespace TourPlanner.Grains.Domain.Tours;

/// <summary>
/// Who belongs to a tour and with which links: creating it, its settings, speakers, organizers, host groups, and
/// the links (capability tokens) each of them holds. A person may hold several links, one per link handed out;
/// each is stored as a hash only, so a link is shown once and "show it again" means issuing another.
/// </summary>
public static class PeopleDecisions
{
    /// <summary>Who a presented token belongs to. The token is hashed once and looked up, whatever the number of tokens.</summary>
    public static Principal Authenticate(TourModel tour, string? token, Instant now)
    {
        // A lookup by the hash of a 256-bit random token leaks nothing through timing: an attacker cannot choose
        // a token whose hash lands near a stored one.
        if (string.IsNullOrEmpty(token) || token.Length > 128) return Principal.Anonymous;
        if (!tour.Tokens.TryGetValue(Convert.ToHexString(Tokens.Hash(token)), out var record)) return Principal.Anonymous;
        if (record.SingleUse || record.ExpiresAt is { } until && until <= now) return Principal.Anonymous;
        return PrincipalOf(record);
    }

    public static Principal PrincipalOf(TokenRecord t) => t.Role switch
    {
        Role.Organizer => Principal.ForOrganizer(t.PersonId, t.TokenId),
        Role.Speaker => Principal.ForSpeaker(t.PersonId, t.TokenId),
        Role.Host => Principal.ForHost(t.PersonId, t.TokenId),
        _ => Principal.Anonymous,
    };

    public static Decision<TourCreated> Create(TourModel tour, CommandContext context, CreateTour command, string slug, Instant now, TourLimits limits)
    {
        if (tour.Created) return Outcome<TourCreated>.Conflict(Text.Of(Codes.TourExists));
        var e = Validation.Check(command);
        if (!command.Speakers.IsDefault && command.Speakers.Length > limits.MaxSpeakers)
            e.Add("speakers", Text.Of(Codes.TourTooManySpeakers, Arg.Number("max", limits.MaxSpeakers)));
        if (e.Any) return Outcome<TourCreated>.Invalid(e);

        var organizer = new OrganizerInfo
        {
            Id = Tokens.NewId("o_"), Name = string.IsNullOrWhiteSpace(command.OrganizerName) ? "Organizer" : command.OrganizerName.Trim(),
            Email = Clean(command.OrganizerEmail), Language = command.Language, AddedAt = now,
        };
        var speakers = command.Speakers.Select(s => new SpeakerInfo
        {
            Id = Tokens.NewId("sp_"), Name = s.Name.Trim(), HomeCity = Clean(s.HomeCity), HomeTimeZone = s.HomeTimeZone, Home = s.Home,
            Email = Clean(s.Email),
        }).ToImmutableArray();
        var issued = new List<(TokenRecord Record, IssuedToken Token)> { NewToken(organizer.Id, Role.Organizer, now, null) };
        issued.AddRange(speakers.Select(s => NewToken(s.Id, Role.Speaker, now, null)));
        // Blackout keys arrive as speaker indexes; store them by speaker id, which never changes.
        var blackouts = command.Rules.BlackoutDates.ToImmutableDictionary(
            p => speakers[Validation.SpeakerIndex(p.Key)!.Value].Id, p => p.Value.Distinct().Order().ToImmutableArray());

        var entry = new TourSetUp
        {
            At = now, By = context.Actor, Slug = slug, Speakers = speakers, Organizer = organizer,
            Settings = new TourSettings
            {
                Name = command.Name.Trim(), Description = command.Description, TimeZone = command.TimeZone, StartDate = command.StartDate,
                EndDate = command.EndDate, Language = command.Language, Rules = command.Rules with { BlackoutDates = blackouts },
            },
            Tokens = [.. issued.Select(i => i.Record)],
        };
        var tokens = issued.Select(i => i.Token).ToImmutableArray();
        return Decision<TourCreated>.Store(entry, m => Created(m, tokens), subject: organizer.Id, tokens: tokens);
    }

    /// <summary>The answer to creating a tour, from its tokens (first time or a retry).</summary>
    public static TourCreated Created(TourModel tour, ImmutableArray<IssuedToken> tokens)
    {
        var organizer = tour.Organizers[0];
        return new TourCreated
        {
            TourId = tour.TourId, Slug = tour.Slug, OrganizerId = organizer.Id,
            OrganizerToken = tokens.First(t => t.PersonId == organizer.Id).Token,
            Speakers = [.. tour.Speakers.Select(s => tokens.FirstOrDefault(t => t.PersonId == s.Id) is { Token: { } tok }
                ? new SpeakerCredential(s.Id, s.Name, tok) : null).OfType<SpeakerCredential>()],
        };
    }

    public static Decision<TourSnapshot> UpdateSettings(TourModel tour, CommandContext context, TourSettingsPatch patch, Instant now)
    {
        var s = tour.Settings;
        var next = s with
        {
            Name = patch.Name?.Trim() ?? s.Name, Description = patch.Description ?? s.Description, TimeZone = patch.TimeZone ?? s.TimeZone,
            StartDate = patch.StartDate ?? s.StartDate, EndDate = patch.EndDate ?? s.EndDate, Language = patch.Language ?? s.Language,
            Rules = s.Rules with
            {
                HoldDays = patch.HoldDays ?? s.Rules.HoldDays, TravelBufferMinutes = patch.TravelBufferMinutes ?? s.Rules.TravelBufferMinutes,
                MinRestMinutes = patch.MinRestMinutes ?? s.Rules.MinRestMinutes, MaxEventsPerDay = patch.MaxEventsPerDay ?? s.Rules.MaxEventsPerDay,
            },
        };
        var e = Validation.Check(new CreateTour
        {
            Name = next.Name, Description = next.Description, TimeZone = next.TimeZone, StartDate = next.StartDate, EndDate = next.EndDate,
            Speakers = [new SpeakerInput { Name = "-", HomeTimeZone = "UTC" }], Rules = next.Rules with { BlackoutDates = [] },
        });
        CheckLanguage(e, "language", next.Language);
        // Claims stay inside the tour: shrinking it past an active claim would strand that claim.
        if (next.EndDate >= next.StartDate && (next.StartDate != s.StartDate || next.EndDate != s.EndDate))
            foreach (var claim in tour.Ledger.Claims.Where(c => ClaimLedger.IsActive(c.Status) && c.Dates.Any(d => d < next.StartDate || d > next.EndDate)).Take(5))
                e.Add(claim.Dates[0] < next.StartDate ? "startDate" : "endDate",
                    Text.Of(Codes.TourClaimWouldFallOutside, Arg.Plain("city", claim.City), Arg.Date("date", claim.Dates[0])));
        var organizerEmailChanged = patch.OrganizerEmail is not null;
        if (organizerEmailChanged) CheckEmail(e, "organizerEmail", patch.OrganizerEmail);
        if (e.Any) return Outcome<TourSnapshot>.Invalid(e);

        var entries = ImmutableArray.CreateBuilder<TourEntry>();
        if (next != s) entries.Add(new SettingsChanged { At = now, By = context.Actor, Settings = next });
        if (organizerEmailChanged && tour.Organizer(context.Actor.PersonId) is { } me && me.Email != Clean(patch.OrganizerEmail))
            entries.Add(new OrganizerChanged { At = now, By = context.Actor, Organizer = me with { Email = Clean(patch.OrganizerEmail) } });
        return entries.Count == 0
            ? Decision<TourSnapshot>.Unchanged(TourViews.Snapshot(tour))
            : Decision<TourSnapshot>.Store(entries.ToImmutable(), TourViews.Snapshot);
    }

    public static Decision<SpeakerCredential> AddSpeaker(TourModel tour, CommandContext context, SpeakerInput input, Instant now, TourLimits limits)
    {
        if (tour.Speakers.Count >= limits.MaxSpeakers)
            return Outcome<SpeakerCredential>.Limit("speakers", Text.Of(Codes.TourTooManySpeakers, Arg.Number("max", limits.MaxSpeakers)));
        var e = new ValidationErrors();
        CheckSpeaker(e, input.Name, input.HomeCity, input.HomeTimeZone, input.Home, input.Email);
        if (e.Any) return Outcome<SpeakerCredential>.Invalid(e);
        var speaker = new SpeakerInfo
        {
            Id = Tokens.NewId("sp_"), Name = input.Name.Trim(), HomeCity = Clean(input.HomeCity), HomeTimeZone = input.HomeTimeZone,
            Home = input.Home, Email = Clean(input.Email),
        };
        var (record, token) = NewToken(speaker.Id, Role.Speaker, now, context.Actor.PersonId);
        return Decision<SpeakerCredential>.Store(new SpeakerAdded { At = now, By = context.Actor, Speaker = speaker, Token = record },
            _ => new SpeakerCredential(speaker.Id, speaker.Name, token.Token), speaker.Id, [token]);
    }

    public static Decision<SpeakerInfo> UpdateSpeaker(TourModel tour, CommandContext context, string speakerId, SpeakerPatch patch, Instant now)
    {
        if (tour.Speaker(speakerId) is not { } current) return NoSpeaker(speakerId);
        var next = current with
        {
            Name = patch.Name?.Trim() ?? current.Name, HomeCity = patch.HomeCity is null ? current.HomeCity : Clean(patch.HomeCity),
            HomeTimeZone = patch.HomeTimeZone ?? current.HomeTimeZone, Home = patch.Home ?? current.Home,
            Email = patch.Email is null ? current.Email : Clean(patch.Email),
        };
        var e = new ValidationErrors();
        CheckSpeaker(e, next.Name, next.HomeCity, next.HomeTimeZone, next.Home, next.Email);
        var blackouts = patch.BlackoutDates ?? (tour.Rules.BlackoutDates.TryGetValue(speakerId, out var b) ? b : []);
        Validation.CheckBlackouts(e, "blackoutDates", blackouts, tour.Settings.StartDate, tour.Settings.EndDate);
        if (e.Any) return Outcome<SpeakerInfo>.Invalid(e);
        blackouts = [.. blackouts.Distinct().Order()];
        var unchanged = next == current && blackouts.SequenceEqual(tour.Rules.BlackoutDates.TryGetValue(speakerId, out var was) ? was : []);
        return unchanged
            ? Decision<SpeakerInfo>.Unchanged(current)
            : Decision<SpeakerInfo>.Store(new SpeakerChanged { At = now, By = context.Actor, Speaker = next, BlackoutDates = blackouts }, _ => next);
    }

    /// <summary>
    /// A speaker with confirmed events stays (the refusal names them: cancel or move them first). Held claims lose
    /// the speaker; an event left with nobody goes, and a claim left with nothing is released.
    /// </summary>
    public static Decision<SpeakerInfo> RemoveSpeaker(TourModel tour, CommandContext context, string speakerId, Instant now)
    {
        if (tour.Speaker(speakerId) is not { } speaker) return NoSpeaker(speakerId);
        if (tour.Speakers.Count == 1) return Outcome<SpeakerInfo>.Conflict(Text.Of(Codes.SpeakerLast));
        var confirmed = tour.Ledger.ConfirmedStops
            .SelectMany(s => s.Events.Where(e => e.SpeakerIds.Contains(speakerId)).Select(e => (Stop: s, Event: e))).ToList();
        if (confirmed.Count > 0)
            return Outcome<SpeakerInfo>.Conflict(Text.Of(Codes.SpeakerHasConfirmedEvents, Arg.Plain("name", speaker.Name),
                Arg.List("events", confirmed.Take(10).Select(x => Text.Of(Codes.SpeakerConfirmedEvent, Arg.Plain("title", x.Event.Title),
                    Arg.Plain("city", x.Stop.City), Arg.Moment("start", LocalTimes.ResolveStored(x.Event.Start, LocalTimes.FindZone(x.Stop.TimeZone) ?? DateTimeZone.Utc)))))));

        var changed = ImmutableArray.CreateBuilder<StopSnapshot>();
        var released = ImmutableArray.CreateBuilder<string>();
        foreach (var claim in tour.Ledger.Claims.Where(c => c.Status == ClaimStatus.Held && c.SpeakerIds.Contains(speakerId)))
        {
            var stop = tour.Ledger.StopOf(claim);
            var events = stop.Events.Select(e => e with { SpeakerIds = e.SpeakerIds.Remove(speakerId), LastModified = now })
                .Where(e => e.SpeakerIds.Length > 0).ToImmutableArray();
            var remaining = stop.Events.IsEmpty ? claim.SpeakerIds.Remove(speakerId) : Ledger.SpeakersOf(stop with { Events = events });
            if (remaining.IsEmpty) released.Add(claim.ClaimId);
            else changed.Add(stop with { Events = events, LastModified = now });
        }
        return Decision<SpeakerInfo>.Store(new SpeakerRemoved
        {
            At = now, By = context.Actor, SpeakerId = speakerId, ChangedStops = changed.ToImmutable(), ReleasedClaims = released.ToImmutable(),
        }, _ => speaker);
    }

    public static Decision<IssuedLink> AddOrganizer(TourModel tour, CommandContext context, string name, string? email, string language, Instant now, TourLimits limits)
    {
        if (tour.Organizers.Count >= limits.MaxOrganizers)
            return Outcome<IssuedLink>.Limit("organizers", Text.Of(Codes.LimitOrganizers, Arg.Number("max", limits.MaxOrganizers)));
        var e = new ValidationErrors();
        Validation.RequireText(e, "name", name);
        CheckEmail(e, "email", email);
        CheckLanguage(e, "language", language);
        if (e.Any) return Outcome<IssuedLink>.Invalid(e);
        var organizer = new OrganizerInfo { Id = Tokens.NewId("o_"), Name = name.Trim(), Email = Clean(email), Language = language, AddedAt = now };
        var (record, token) = NewToken(organizer.Id, Role.Organizer, now, context.Actor.PersonId);
        return Decision<IssuedLink>.Store(new OrganizerAdded { At = now, By = context.Actor, Organizer = organizer, Token = record },
            _ => Link(token, Role.Organizer, 0), organizer.Id, [token]);
    }

    public static Decision<HostInvited> InviteHost(TourModel tour, CommandContext context, InviteHost command, Instant now, TourLimits limits)
    {
        if (tour.Hosts.Count >= limits.MaxHosts)
            return Outcome<HostInvited>.Limit("hosts", Text.Of(Codes.LimitHosts, Arg.Number("max", limits.MaxHosts)));
        var e = new ValidationErrors();
        Validation.RequireText(e, "name", command.Name);
        CheckHostFields(e, command.City, command.ContactName, command.ContactEmail, command.ContactPhone, command.Language);
        if (e.Any) return Outcome<HostInvited>.Invalid(e);
        var host = new HostSnapshot
        {
            HostId = Tokens.NewId("h_"), TourId = tour.TourId, Name = command.Name.Trim(), City = Clean(command.City),
            ContactName = Clean(command.ContactName), ContactEmail = Clean(command.ContactEmail), ContactPhone = Clean(command.ContactPhone),
            CreatedAt = now, Language = command.Language,
        };
        var (record, token) = NewToken(host.HostId, Role.Host, now, context.Actor.PersonId);
        return Decision<HostInvited>.Store(new HostAdded { At = now, By = context.Actor, Host = host, Token = record },
            _ => new HostInvited(host.HostId, token.Token), host.HostId, [token]);
    }

    public static Decision<HostSnapshot> UpdateHost(TourModel tour, CommandContext context, string hostId, HostPatch patch, Instant now)
    {
        if (tour.Host(hostId) is not { } current) return Outcome<HostSnapshot>.NotFound(Text.Of(Codes.HostNotFound, Arg.Plain("id", Validation.Clip(hostId))));
        if (current.WithdrawnAt is not null) return Outcome<HostSnapshot>.Conflict(Text.Of(Codes.HostWithdrawn, Arg.Plain("name", current.Name)));
        var next = current with
        {
            Name = patch.Name?.Trim() ?? current.Name,
            City = patch.City is null ? current.City : Clean(patch.City),
            ContactName = patch.ContactName is null ? current.ContactName : Clean(patch.ContactName),
            ContactEmail = patch.ContactEmail is null ? current.ContactEmail : Clean(patch.ContactEmail),
            ContactPhone = patch.ContactPhone is null ? current.ContactPhone : Clean(patch.ContactPhone),
            Language = patch.Language ?? current.Language,
        };
        var e = new ValidationErrors();
        Validation.RequireText(e, "name", next.Name);
        CheckHostFields(e, next.City, next.ContactName, next.ContactEmail, next.ContactPhone, next.Language);
        if (e.Any) return Outcome<HostSnapshot>.Invalid(e);
        return next == current
            ? Decision<HostSnapshot>.Unchanged(TourViews.Host(tour, current))
            : Decision<HostSnapshot>.Store(new HostChanged { At = now, By = context.Actor, Host = next }, m => TourViews.Host(m, next));
    }

    /// <summary>"Copy this person's link" issues a new one; "revoke" ends every other link of that person and issues one.</summary>
    public static Decision<IssuedLink> IssueLink(TourModel tour, CommandContext context, Role role, string personId, bool revokeOthers, Instant now, TourLimits limits)
    {
        var exists = role switch
        {
            Role.Organizer => tour.Organizer(personId) is not null,
            Role.Speaker => tour.Speaker(personId) is not null,
            Role.Host => tour.Host(personId) is not null,
            _ => false,
        };
        if (!exists)
            return Outcome<IssuedLink>.NotFound(Text.Of(Codes.PersonNotFound, Arg.Of("role", Text.Of(role switch
            {
                Role.Organizer => Codes.RoleOrganizer,
                Role.Speaker => Codes.RoleSpeaker,
                _ => Codes.RoleHost,
            })), Arg.Plain("id", Validation.Clip(personId))));
        if (role == Role.Host && tour.Host(personId) is { WithdrawnAt: not null } gone)
            return Outcome<IssuedLink>.Conflict(Text.Of(Codes.HostWithdrawn, Arg.Plain("name", gone.Name)));
        var held = tour.Tokens.Values.Count(t => t.PersonId == personId && !t.SingleUse);
        if (!revokeOthers && held >= limits.MaxLinksPerPerson)
            return Outcome<IssuedLink>.Limit("links", Text.Of(Codes.LimitLinks, Arg.Number("count", held)));
        var (record, token) = NewToken(personId, role, now, context.Actor.PersonId);
        var revoked = revokeOthers ? held : 0;
        return Decision<IssuedLink>.Store(new LinkIssued { At = now, By = context.Actor, Token = record, RevokedOthers = revokeOthers },
            _ => Link(token, role, revoked), token.TokenId, [token]);
    }

    public static Decision<LinkInfo> RevokeLink(TourModel tour, CommandContext context, string tokenId, Instant now)
    {
        var record = tour.Tokens.Values.FirstOrDefault(t => t.TokenId == tokenId);
        if (record is null) return Outcome<LinkInfo>.NotFound(Text.Of(Codes.LinkNotFound, Arg.Plain("id", Validation.Clip(tokenId))));
        return Decision<LinkInfo>.Store(new LinkRevoked { At = now, By = context.Actor, TokenId = tokenId }, _ => TourViews.Link(record));
    }

    public static (TokenRecord Record, IssuedToken Token) NewToken(string personId, Role role, Instant now, string? issuedBy)
    {
        var token = Tokens.New();
        var id = Tokens.NewId("k_");
        return (new TokenRecord { TokenId = id, Hash = Tokens.Hash(token), PersonId = personId, Role = role, IssuedAt = now, IssuedBy = issuedBy },
            new IssuedToken(personId, id, token));
    }

    public static IssuedLink Link(IssuedToken token, Role role, int revoked) =>
        new() { PersonId = token.PersonId, Role = role, TokenId = token.TokenId, Token = token.Token, Revoked = revoked };

    private static void CheckSpeaker(ValidationErrors e, string? name, string? homeCity, string? homeTimeZone, GeoPoint? home, string? email)
    {
        Validation.RequireText(e, "name", name);
        Validation.OptionalText(e, "homeCity", homeCity, Validation.MaxTextLength);
        Validation.RequireZone(e, "homeTimeZone", homeTimeZone);
        Validation.CheckPoint(e, "home", home);
        CheckEmail(e, "email", email);
    }

    private static void CheckHostFields(ValidationErrors e, string? city, string? contactName, string? contactEmail, string? contactPhone, string language)
    {
        Validation.OptionalText(e, "city", city, 120);
        Validation.OptionalText(e, "contactName", contactName, Validation.MaxTextLength);
        Validation.OptionalText(e, "contactPhone", contactPhone, 40);
        CheckEmail(e, "contactEmail", contactEmail);
        CheckLanguage(e, "language", language);
    }

    public static void CheckEmail(ValidationErrors e, string field, string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return;
        if (email.Length > 254 || !System.Net.Mail.MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim())
            e.Add(field, Text.Of(Codes.FieldEmail, Arg.Plain("field", field)));
    }

    public static void CheckLanguage(ValidationErrors e, string field, string? language)
    {
        if (language is not ("en" or "es")) e.Add(field, Text.Of(Codes.FieldLanguage, Arg.Plain("field", field)));
    }

    private static Outcome<SpeakerInfo> NoSpeaker(string speakerId) =>
        Outcome<SpeakerInfo>.NotFound(Text.Of(Codes.SpeakerNotFound, Arg.Plain("id", Validation.Clip(speakerId))));

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
