using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Grains;
using TourPlanner.Grains.Domain;
using TourPlanner.Grains.Domain.Mail;
using TourPlanner.Grains.Domain.Privacy;
using TourPlanner.Grains.Domain.Tours;
using TourPlanner.Tests.Infrastructure;

namespace TourPlanner.Tests.Domain;

/// <summary>
/// What a sign-up for an on-request address owes, decided without a cluster: one message to the sign-up (not a person
/// of the tour) with the venue's full address and the public events only; one more to every sign-up when the address
/// changes while still on request; nothing once the address is no longer on request; and a stored form without the address.
/// </summary>
public class SupporterNoticesTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 10, 1, 12, 0);
    private static readonly LocalDate D1 = new(2026, 10, 28);
    private static readonly TourLimits Limits = new();
    private const string Address = "77 Hidden Street";

    private sealed class Book
    {
        public TourModel Model { get; private set; } = TourModel.Empty with { TourId = "t_supporters00000" };
        public Principal Organizer { get; private set; } = Principal.Anonymous;
        public Principal Host { get; private set; } = Principal.Anonymous;
        public string StopId { get; private set; } = "";

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

        /// <summary>A confirmed stop in Chicago with a public and a private event, its address on request.</summary>
        public static Book Create()
        {
            var book = new Book();
            var created = book.Run(m => PeopleDecisions.Create(m, CommandContext.System, new CreateTour
            {
                Name = "Tour", TimeZone = "America/New_York", StartDate = new LocalDate(2026, 10, 22), EndDate = new LocalDate(2026, 11, 15),
                Speakers = [new SpeakerInput { Name = "One", HomeTimeZone = "America/New_York" }],
            }, "tour", T0, Limits)).Value;
            book.Organizer = Principal.ForOrganizer(created.OrganizerId!);
            var hostId = book.Run(m => PeopleDecisions.InviteHost(m, CommandContext.Of(book.Organizer), new InviteHost { Name = "A", ContactEmail = "a@example.org" }, T0, Limits)).Value.HostId;
            book.Host = Principal.ForHost(hostId);
            var receipt = book.Run(m => ClaimDecisions.Submit(m, CommandContext.Of(book.Host), Scenario.Claim([D1]) with
            {
                Venue = new Venue { Name = "Union Hall", Address = Address, AddressVisibility = AddressVisibility.OnRequest },
                Events =
                [
                    new EventInput { Title = "Rally", Start = D1.At(new LocalTime(19, 0)), DurationMinutes = 120, Public = true },
                    new EventInput { Title = "Strategy", Start = D1.At(new LocalTime(12, 0)), DurationMinutes = 60, Public = false },
                ],
            }, Facts.None, T0, Limits)).Value;
            book.StopId = receipt.Claim.StopId;
            book.Run(m => ClaimDecisions.Confirm(m, CommandContext.Of(book.Organizer), receipt.Claim.ClaimId, Facts.None, T0));
            return book;
        }

        public ImmutableArray<Notice> SignUp(string email) =>
            Run(m => PrivacyDecisions.SignUp(m, new SignupRequest { StopId = StopId, Email = email, Language = "es" }, T0, Limits)).Notices;

        public ImmutableArray<Notice> ChangeVenue(VenuePatch patch) =>
            Run(m => StopDecisions.ChangeVenue(m, CommandContext.Of(Host), StopId, patch, Facts.None, T0)).Notices;
    }

    [Fact]
    public void ASignup_OwesOneMessageToTheSignup_WithTheFullAddressAndThePublicEventsOnly()
    {
        var book = Book.Create();
        var notice = Assert.Single(book.SignUp("sam@example.org"));
        Assert.Equal(NoticeKinds.SignupAddress, notice.Kind);
        Assert.Equal(Role.Anonymous, notice.RecipientRole);
        Assert.Equal(book.Model.Signups.Single().SignupId, notice.RecipientId); // the sign-up, never its e-mail
        Assert.Equal(Address, notice.Stop!.Venue.Address);
        Assert.Equal(["Rally"], notice.Stop.Events.Select(e => e.Title).ToArray());

        // The same address for the same stop again is no new sign-up, so no second message.
        Assert.Empty(book.SignUp("SAM@example.org"));
    }

    [Fact]
    public void ANewAddressWhileOnRequest_GoesToEverySignup_AndNothingOnceItIsNoLongerOnRequest()
    {
        var book = Book.Create();
        book.SignUp("sam@example.org");
        book.SignUp("kim@example.org");

        var changed = book.ChangeVenue(new VenuePatch { Address = "9 New Street" }).Where(n => n.RecipientRole == Role.Anonymous).ToList();
        Assert.Equal(2, changed.Count);
        Assert.All(changed, n => Assert.Equal(NoticeKinds.SignupAddressChanged, n.Kind));
        Assert.All(changed, n => Assert.Equal("9 New Street", n.Stop!.Venue.Address));

        // City only, then a new address: the sign-ups are owed nothing.
        Assert.DoesNotContain(book.ChangeVenue(new VenuePatch { AddressVisibility = AddressVisibility.City }), n => n.RecipientRole == Role.Anonymous);
        Assert.DoesNotContain(book.ChangeVenue(new VenuePatch { Address = "10 Other Street" }), n => n.RecipientRole == Role.Anonymous);
    }

    [Fact]
    public void TheStoredFormOfTheSignupsEntry_KeepsNeitherTheEmailNorTheAddress()
    {
        var book = Book.Create();
        var decision = PrivacyDecisions.SignUp(book.Model, new SignupRequest { StopId = book.StopId, Email = "sam@example.org" }, T0, Limits);
        var entry = Assert.Single(decision.Entries);
        var next = book.Model.Apply(entry);
        entry = entry with { Notices = MailNotices.For(book.Model, entry, next) };
        Assert.True(PrivateData.HasPrivate(entry));
        var redacted = PrivateData.Redact(entry);
        var notice = Assert.Single(redacted.Notices);
        Assert.Null(notice.Stop!.Venue.Address);
        Assert.DoesNotContain("sam@example.org", System.Text.Json.JsonSerializer.Serialize<object>(redacted));
    }
}
