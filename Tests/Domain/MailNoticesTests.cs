using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Domain.Mail;
using TourPlanner.Grains.Domain.Tours;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Domain;

/// <summary>Which messages a change owes whom, decided without a cluster from the tour before and after each entry.</summary>
public class MailNoticesTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 10, 1, 12, 0);
    private static readonly LocalDate D1 = new(2026, 10, 28), D2 = new(2026, 10, 24);
    private static readonly TourLimits Limits = new();

    /// <summary>A tour as its log makes it, with the notices each step stored.</summary>
    private sealed class Book
    {
        public TourModel Model { get; private set; } = TourModel.Empty with { TourId = "t_mailtests000000" };
        public Principal Organizer { get; private set; } = Principal.Anonymous;

        public (T Value, ImmutableArray<Notice> Notices) Run<T>(Func<TourModel, Decision<T>> decide)
        {
            var decision = decide(Model);
            Assert.True(decision.Failure is null, decision.Failure?.Detail);
            var notices = ImmutableArray.CreateBuilder<Notice>();
            foreach (var entry in decision.Entries)
            {
                var next = Model.Apply(entry);
                notices.AddRange(MailNotices.For(Model, entry, next));
                Model = next;
            }
            return (decision.Answer!(Model), notices.ToImmutable());
        }

        public static Book Create(bool organizerEmail = true)
        {
            var book = new Book();
            var created = book.Run(m => PeopleDecisions.Create(m, CommandContext.System, new CreateTour
            {
                Name = "Tour", TimeZone = "America/New_York", StartDate = new LocalDate(2026, 10, 22), EndDate = new LocalDate(2026, 11, 15),
                OrganizerEmail = organizerEmail ? "org@example.org" : null,
                Speakers =
                [
                    new SpeakerInput { Name = "One", HomeTimeZone = "America/New_York", Email = "one@example.org" },
                    new SpeakerInput { Name = "Two", HomeTimeZone = "America/New_York", Email = "two@example.org" },
                ],
            }, "tour", T0, Limits)).Value;
            book.Organizer = Principal.ForOrganizer(created.OrganizerId!);
            return book;
        }

        public string S1 => Model.Speakers[0].Id;
        public string S2 => Model.Speakers[1].Id;

        public string Host(string name, string? email = "host@example.org") =>
            Run(m => PeopleDecisions.InviteHost(m, CommandContext.Of(Organizer), new InviteHost { Name = name, ContactEmail = email }, T0, Limits)).Value.HostId;

        public (ClaimReceipt Receipt, ImmutableArray<Notice> Notices) Claim(string hostId, LocalDate date, params EventInput[] events) =>
            Run(m => ClaimDecisions.Submit(m, CommandContext.Of(Principal.ForHost(hostId)), Scenario.Claim([date]) with
            {
                Events = events.Length == 0 ? [new EventInput { Title = "Meeting", Start = date.At(new LocalTime(19, 0)), DurationMinutes = 120 }] : [.. events],
            }, Facts.None, T0, Limits));

        public ImmutableArray<Notice> Confirm(string claimId) =>
            Run(m => ClaimDecisions.Confirm(m, CommandContext.Of(Organizer), claimId, Facts.None, T0)).Notices;
    }

    private static EventInput Event(string title, LocalDate date, int hour, bool isPublic, params string[] speakers) =>
        new() { Title = title, Start = date.At(new LocalTime(hour, 0)), DurationMinutes = 60, Public = isPublic, SpeakerIds = [.. speakers] };

    [Fact]
    public void Confirm_TellsTheHostItsOwnStop_AndEachSpeakerOnlyTheEventsTheyAttend_WithAnInvitation()
    {
        var book = Book.Create();
        var a = book.Host("A");
        var b = book.Host("B", "b@example.org");
        var claimA = book.Claim(a, D1, Event("Rally", D1, 12, true, book.S1), Event("Union meeting", D1, 18, false, book.S2)).Receipt.Claim;
        var claimB = book.Claim(b, D2, Event("Secret strategy meeting", D2, 19, false, book.S1)).Receipt.Claim;

        var notices = book.Confirm(claimA.ClaimId);

        var host = Assert.Single(notices, n => n.RecipientRole == Role.Host);
        Assert.Equal((NoticeKinds.Confirmed, a, "REQUEST"), (host.Kind, host.RecipientId, host.Method));
        Assert.Equal(["Rally", "Union meeting"], host.Stop!.Events.Select(e => e.Title).ToArray()); // its own private event too
        var one = Assert.Single(notices, n => n.RecipientId == book.S1);
        Assert.Equal(["Rally"], one.Stop!.Events.Select(e => e.Title).ToArray());
        var two = Assert.Single(notices, n => n.RecipientId == book.S2);
        Assert.Equal(["Union meeting"], two.Stop!.Events.Select(e => e.Title).ToArray());
        Assert.All(notices, n => Assert.Equal(claimA.StopId, n.Stop!.StopId));
        Assert.DoesNotContain(notices, n => n.RecipientId == b || n.Stop!.StopId == claimB.StopId);
    }

    [Fact]
    public void AClaim_TellsItsHostTheRankAndTheConflicts_AsItsGroupMayReadThem_AndTheOrganizersWhoHaveAnAddress()
    {
        var book = Book.Create();
        var a = book.Host("A");
        var b = book.Host("B", "b@example.org");
        book.Confirm(book.Claim(a, D1, Event("Late meeting", D1, 22, true, book.S1, book.S2)).Receipt.Claim.ClaimId);
        // The same speakers in Los Angeles early the next morning: confirming it would break the travel and rest rules.
        var (_, notices) = book.Run(m => ClaimDecisions.Submit(m, CommandContext.Of(Principal.ForHost(b)),
            Scenario.Claim([D1.PlusDays(1)], "Los Angeles", "America/Los_Angeles", Scenario.LosAngeles, hour: 6), Facts.None, T0, Limits));

        var host = Assert.Single(notices, n => n.RecipientRole == Role.Host);
        Assert.Equal((NoticeKinds.ClaimReceived, b, 1), (host.Kind, host.RecipientId, host.Rank));
        Assert.NotEmpty(host.ConflictCodes);
        Assert.All(host.ConflictCodes, code => Assert.Contains(code, new[] { "travel-impossible", "rest-too-short" }));
        // Explained as the API explains them to this group: the other group's event only as its city and times.
        Assert.NotEmpty(host.Conflicts);
        foreach (var language in Catalogue.Languages)
        {
            var toB = host.Conflicts.Select(c => Catalogue.Default.Render(c, language, Audience.HostGroup(b))).ToList();
            Assert.All(toB, words => Assert.DoesNotContain("Late meeting", words));
            Assert.Contains(toB, words => words.Contains("Chicago", StringComparison.Ordinal));
        }
        Assert.Contains(host.Conflicts, c => Catalogue.Default.Render(c, "en").Contains("Late meeting", StringComparison.Ordinal)); // the organizer's reading
        var organizer = Assert.Single(notices, n => n.RecipientRole == Role.Organizer);
        Assert.Equal(NoticeKinds.ClaimSubmitted, organizer.Kind);
        Assert.Empty(organizer.Stop!.Events); // the digest names the city and dates, not the events
        Assert.Equal("B", organizer.HostName);

        var quiet = Book.Create(organizerEmail: false);
        var nobody = quiet.Host("No address", email: null);
        Assert.Empty(quiet.Claim(nobody, D1).Notices);
    }

    [Fact]
    public void TheHostsOwnChange_IsNotMailedBack_TheOrganizersIs_AndARemovedEventIsCancelledOneSequenceUp()
    {
        var book = Book.Create();
        var a = book.Host("A");
        var receipt = book.Claim(a, D1, Event("Rally", D1, 12, true, book.S1), Event("Dinner", D1, 18, false, book.S1)).Receipt;
        book.Confirm(receipt.Claim.ClaimId);
        var (rally, dinner) = (receipt.Events[0].EventId, receipt.Events[1].EventId);
        var stopId = receipt.Claim.StopId;

        var byHost = book.Run(m => StopDecisions.UpdateEvent(m, CommandContext.Of(Principal.ForHost(a)), stopId, rally,
            new EventPatch { Title = "Big rally" }, Facts.None, T0)).Notices;
        Assert.DoesNotContain(byHost, n => n.RecipientRole == Role.Host);
        var speaker = Assert.Single(byHost);
        Assert.Equal((NoticeKinds.SpeakerChanged, "REQUEST"), (speaker.Kind, speaker.Method));

        var byOrganizer = book.Run(m => StopDecisions.UpdateEvent(m, CommandContext.Of(book.Organizer), stopId, rally,
            new EventPatch { Start = D1.At(new LocalTime(13, 0)) }, Facts.None, T0)).Notices;
        var host = Assert.Single(byOrganizer, n => n.RecipientRole == Role.Host);
        Assert.Equal((NoticeKinds.StopChanged, "REQUEST"), (host.Kind, host.Method));
        Assert.Equal(2, host.Stop!.Events.Single(e => e.EventId == rally).Sequence);

        var sequence = book.Model.Ledger.Stop(stopId)!.Events.Single(e => e.EventId == dinner).Sequence;
        var removed = book.Run(m => StopDecisions.RemoveEvent(m, CommandContext.Of(book.Organizer), stopId, dinner, T0)).Notices;
        var cancel = Assert.Single(Assert.Single(removed, n => n.RecipientRole == Role.Host).RemovedEvents);
        Assert.Equal((dinner, sequence + 1), (cancel.EventId, cancel.Sequence));
        Assert.Single(Assert.Single(removed, n => n.RecipientRole == Role.Speaker).RemovedEvents);
    }

    [Fact]
    public void ReleasingTheFirstInLine_MovesTheNextUp_TellsIt_AndPutsTheReleaseInTheOrganizersDigest()
    {
        var book = Book.Create();
        var (a, b) = (book.Host("A"), book.Host("B", "b@example.org"));
        var first = book.Claim(a, D1).Receipt.Claim;
        var second = book.Claim(b, D1).Receipt.Claim;
        Assert.Equal(2, second.Rank);

        var notices = book.Run(m => ClaimDecisions.Release(m, CommandContext.Of(Principal.ForHost(a)), first.ClaimId, T0)).Notices;

        var moved = Assert.Single(notices, n => n.Kind == NoticeKinds.MovedUp);
        Assert.Equal((b, 1), (moved.RecipientId, moved.Rank));
        Assert.NotNull(moved.ExpiresAt);
        Assert.Single(notices, n => n is { Kind: NoticeKinds.ClaimReleased, RecipientRole: Role.Organizer });
    }

    [Fact]
    public void TheHoldReminder_IsDueOnlyWithinADayOfTheEnd_AndOnlyOncePerHold_TellingOrganizersWhenOthersQueue()
    {
        var book = Book.Create();
        var (a, b) = (book.Host("A"), book.Host("B", "b@example.org"));
        var held = book.Claim(a, D1).Receipt.Claim;
        book.Claim(b, D1);
        var end = held.ExpiresAt!.Value;

        Assert.Null(MailNotices.HoldsEndingBy(book.Model, end - Duration.FromHours(24) - Duration.FromMinutes(1)));
        var due = MailNotices.HoldsEndingBy(book.Model, end - Duration.FromHours(24) + Duration.FromMinutes(1));
        Assert.Equal([held.ClaimId], due!.ClaimIds.ToArray());

        var before = book.Model;
        var after = before.Apply(due);
        var notices = MailNotices.For(before, due, after);
        Assert.Single(notices, n => n is { Kind: NoticeKinds.HoldEnding, RecipientRole: Role.Host } && n.RecipientId == a);
        Assert.Single(notices, n => n is { Kind: NoticeKinds.QueuedHoldEnding, RecipientRole: Role.Organizer });
        Assert.Null(MailNotices.HoldsEndingBy(after, end - Duration.FromHours(1)));
    }

    [Fact]
    public void ASignInLink_IsNoLinkByItself_IsSpentOnce_ForANewStandingLink_AndRunsOutAfter14Days()
    {
        var book = Book.Create();
        var a = book.Host("A");
        var invite = book.Model.Tokens.Values.Single(t => t.PersonId == a);
        var issued = book.Run(m => SignInDecisions.Issue(m, [new MailPerson(Role.Host, a), new MailPerson(Role.Host, a)], T0)).Value;
        var token = Assert.Single(issued).Token;
        Assert.Equal(Role.Anonymous, PeopleDecisions.Authenticate(book.Model, token, T0).Role);

        var standing = book.Run(m => SignInDecisions.Exchange(m, token, T0 + Duration.FromDays(13), Limits)).Value;
        Assert.Equal(a, PeopleDecisions.Authenticate(book.Model, standing.Token, T0).HostId);
        Assert.Contains(book.Model.Tokens.Values, t => t.TokenId == invite.TokenId); // the other links keep working
        Assert.Equal(OutcomeKind.Gone, SignInDecisions.Exchange(book.Model, token, T0, Limits).Failure!.Kind);

        var late = book.Run(m => SignInDecisions.Issue(m, [new MailPerson(Role.Host, a)], T0)).Value[0].Token;
        Assert.Equal(OutcomeKind.Gone, SignInDecisions.Exchange(book.Model, late, T0 + SignInDecisions.Lifetime, Limits).Failure!.Kind);

        // However many messages went out, a person holds a bounded number of unspent sign-in links.
        for (var i = 0; i < TourModel.MaxSignInLinksPerPerson + 5; i++)
            book.Run(m => SignInDecisions.Issue(m, [new MailPerson(Role.Host, a)], T0 + Duration.FromMinutes(i)));
        Assert.Equal(TourModel.MaxSignInLinksPerPerson, book.Model.Tokens.Values.Count(t => t.PersonId == a && t.SingleUse));
    }
}
