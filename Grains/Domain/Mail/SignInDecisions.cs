using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains.Domain.Tours;

namespace TourPlanner.Grains.Domain.Mail;

/// <summary>
/// Links in messages. Tokens are stored only as hashes, so a message cannot carry a link a person already holds:
/// each message gets a single-use sign-in link of its own (14 days). Opening it spends it and issues a new standing
/// link for that person and browser; the person's other links keep working.
/// </summary>
public static class SignInDecisions
{
    public static readonly Duration Lifetime = Duration.FromDays(14);
    public const string StandingLabel = "e-mail sign-in";

    public static Decision<ImmutableArray<SignInToken>> Issue(TourModel tour, ImmutableArray<MailPerson> people, Instant now)
    {
        var entries = ImmutableArray.CreateBuilder<TourEntry>();
        var tokens = ImmutableArray.CreateBuilder<SignInToken>();
        foreach (var person in people.Distinct())
        {
            if (!Exists(tour, person)) continue;
            var (record, token) = PeopleDecisions.NewToken(person.PersonId, person.Role, now, null);
            var expires = now + Lifetime;
            entries.Add(new LinkIssued { At = now, Token = record with { SingleUse = true, ExpiresAt = expires, Label = "e-mail" } });
            tokens.Add(new SignInToken(person.Role, person.PersonId, token.Token, expires));
        }
        var issued = tokens.ToImmutable();
        return entries.Count == 0
            ? Decision<ImmutableArray<SignInToken>>.Unchanged([])
            : Decision<ImmutableArray<SignInToken>>.Store(entries.ToImmutable(), _ => issued);
    }

    public static Decision<IssuedLink> Exchange(TourModel tour, string token, Instant now, TourLimits limits)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128
            || !tour.Tokens.TryGetValue(Convert.ToHexString(Tokens.Hash(token)), out var record)
            || !record.SingleUse || record.ExpiresAt is not { } until || until <= now)
            return new Outcome<IssuedLink> { Kind = OutcomeKind.Gone, Reason = Text.Of(MailCodes.SignInSpent) };
        var held = tour.Tokens.Values.Count(t => t.PersonId == record.PersonId && !t.SingleUse);
        if (held >= limits.MaxLinksPerPerson)
            return Outcome<IssuedLink>.Limit("links", Text.Of(MailCodes.SignInTooManyLinks, Arg.Number("count", held)));
        var by = PeopleDecisions.PrincipalOf(record);
        var (standing, issued) = PeopleDecisions.NewToken(record.PersonId, record.Role, now, null);
        ImmutableArray<TourEntry> entries =
        [
            new LinkRevoked { At = now, By = by, TokenId = record.TokenId },
            new LinkIssued { At = now, By = by, Token = standing with { Label = StandingLabel } },
        ];
        return Decision<IssuedLink>.Store(entries, _ => PeopleDecisions.Link(issued, record.Role, 0));
    }

    public static ImmutableArray<MailPerson> ByEmail(TourModel tour, string email)
    {
        var wanted = email.Trim();
        if (wanted.Length is 0 or > 254) return [];
        bool Same(string? address) => address is not null && string.Equals(address, wanted, StringComparison.OrdinalIgnoreCase);
        return
        [
            .. tour.Organizers.Where(o => Same(o.Email)).Select(o => new MailPerson(Role.Organizer, o.Id)),
            .. tour.Speakers.Where(s => Same(s.Email)).Select(s => new MailPerson(Role.Speaker, s.Id)),
            .. tour.HostOrder.Select(id => tour.Hosts[id]).Where(h => Same(h.ContactEmail)).Select(h => new MailPerson(Role.Host, h.HostId)),
        ];
    }

    private static bool Exists(TourModel tour, MailPerson person) => person.Role switch
    {
        Role.Organizer => tour.Organizer(person.PersonId) is not null,
        Role.Speaker => tour.Speaker(person.PersonId) is not null,
        Role.Host => tour.Host(person.PersonId) is not null,
        _ => false,
    };
}
