using System.Collections.Immutable;
using NodaTime;
using TourPlanner.Gateway.Tours;
using TourPlanner.Grains;

namespace TourPlanner.Gateway.Demo;

/// <summary>Seeds a sample multi-city tour (<c>--demo</c>) and prints its links.</summary>
public static class DemoSeeder
{
    private sealed record City(string Name, string Country, string Zone, double Lat, double Lon, string Host, string Venue, int DayOffset, bool Confirm);

    private static readonly City[] Cities =
    [
        new("Newark", "US", "America/New_York", 40.7357, -74.1724, "Newark Defense Committee", "Ironbound Community Hall", 0, true),
        new("Chicago", "US", "America/Chicago", 41.8781, -87.6298, "Teamsters Local 705", "Teamsters Hall", 3, true),
        new("St. Paul", "US", "America/Chicago", 44.9537, -93.0900, "UFCW Local 789", "Union Hall", 5, true),
        new("Los Angeles", "US", "America/Los_Angeles", 34.0522, -118.2437, "Comité de Defensa Inmigrante", "Centro Cultural", 8, false),
        new("Managua", "NI", "America/Managua", 12.1364, -86.2514, "Sindicato de Trabajadores", "Casa Sindical", 13, false),
        new("London", "GB", "Europe/London", 51.5072, -0.1276, "Migrant Workers Solidarity", "Conway Hall", 17, false),
        // Second in line behind Los Angeles: confirming one shows the other its date is taken, with dates that work.
        new("San Diego", "US", "America/Los_Angeles", 32.7157, -117.1611, "San Diego Defense Committee", "Labor Temple", 8, false),
        // On the speaker's blackout date: confirming it is refused, and says why.
        new("Oakland", "US", "America/Los_Angeles", 37.8044, -122.2712, "Bay Area Rapid Response", "Union Hall", 12, false),
    ];

    /// <summary>The links a person needs to try the demo from a browser (relative to the Gateway's address).</summary>
    public sealed record DemoTour(string TourId, string Name, string OrganizerLink, string PublicLink, string SpeakerName, string SpeakerLink,
        IReadOnlyList<(string Group, string City, string Link)> HostLinks);

    public static async Task SeedAndPrintAsync(WebApplication app)
    {
        try
        {
            var baseUrl = (app.Configuration["Gateway:PublicBaseUrl"] is { Length: > 0 } configured ? configured : app.Urls.FirstOrDefault() ?? "http://localhost:5080").TrimEnd('/');
            var demo = await SeedAsync(app.Services.GetRequiredService<IGrainFactory>(), app.Services.GetRequiredService<IClock>());
            Console.WriteLine();
            Console.WriteLine($"Demo tour seeded: {demo.Name}");
            Console.WriteLine($"  Start here, as the organizer (keep this link private):");
            Console.WriteLine($"    {baseUrl}{demo.OrganizerLink}");
            Console.WriteLine($"  Each host group's own page (open one in another browser or a private window):");
            foreach (var (group, city, link) in demo.HostLinks) Console.WriteLine($"    {group} ({city}): {baseUrl}{link}");
            Console.WriteLine($"  The speaker's itinerary ({demo.SpeakerName}): {baseUrl}{demo.SpeakerLink}");
            Console.WriteLine($"  The public page:                    {baseUrl}{demo.PublicLink}");
            Console.WriteLine($"  Start another tour:                 {baseUrl}/");
            Console.WriteLine();
        }
        catch (Exception e)
        {
            app.Logger.LogError(e, "Seeding the demo tour failed");
        }
    }

    /// <summary>
    /// A tour a month from now: three confirmed stops, held requests further on (one of them behind another group on
    /// the same date, one on the speaker's blackout date), so every part of the organizer's page has something to do.
    /// </summary>
    public static async Task<DemoTour> SeedAsync(IGrainFactory grains, IClock clock)
    {
        var start = clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Date.PlusDays(30);
        var command = new CreateTour
        {
            Name = "Fight Like Calero — Fight to Win", Description = "A speaking tour in defense of immigrant workers. Demo data.",
            TimeZone = "America/New_York", StartDate = start, EndDate = start.PlusDays(24),
            Speakers = [new SpeakerInput { Name = "Róger Calero", HomeCity = "Newark", HomeTimeZone = "America/New_York", Home = new GeoPoint(40.7357, -74.1724) }],
            Rules = new PlanningRules { BlackoutDates = ImmutableDictionary<string, ImmutableArray<LocalDate>>.Empty.Add("0", [start.PlusDays(12)]) },
        };
        var tourId = Grains.Domain.Tokens.NewId("t_");
        var slug = ToursApi.Slugify(command.Name) + "-demo-" + tourId[2..6].ToLowerInvariant();
        await grains.GetGrain<ITourSlugGrain>(slug).ReserveAsync(tourId);
        var tour = grains.GetGrain<ITourGrain>(tourId);
        var created = (await tour.CreateAsync(CommandContext.System, command, slug)).Value!;
        var organizer = CommandContext.Of(Principal.ForOrganizer(created.OrganizerId!));
        var hostLinks = new List<(string, string, string)>();
        foreach (var city in Cities)
        {
            var host = (await tour.InviteHostAsync(organizer, new InviteHost { Name = city.Host, City = city.Name, ContactName = "Demo contact", ContactEmail = "demo@example.org" })).Value!;
            hostLinks.Add((city.Host, city.Name, Links.Host(created.TourId, host.HostId, host.InviteToken)));
            var day = start.PlusDays(city.DayOffset);
            var claim = await tour.SubmitClaimAsync(CommandContext.Of(Principal.ForHost(host.HostId)), new ClaimRequest
            {
                City = city.Name, Country = city.Country, TimeZone = city.Zone, Location = new GeoPoint(city.Lat, city.Lon), Dates = [day],
                Venue = new Venue { Name = city.Venue, Address = city.Name },
                AcceptableDates = [day, day.PlusDays(1), day.PlusDays(2)],
                Events =
                [
                    new EventInput { Title = $"Public meeting in {city.Name}: defend immigrant workers", Start = day.At(new LocalTime(19, 0)), DurationMinutes = 120 },
                    new EventInput { Title = "Meeting with the host committee", Start = day.At(new LocalTime(13, 0)), DurationMinutes = 60, Public = false },
                ],
            }, Facts.None);
            if (city.Confirm && claim.Value is { } receipt) await tour.ConfirmClaimAsync(organizer, receipt.Claim.ClaimId, Facts.None);
        }
        var speaker = created.Speakers[0];
        return new DemoTour(created.TourId, command.Name, Links.Organizer(created.TourId, created.OrganizerToken), Links.Public(created.Slug),
            speaker.Name, Links.Speaker(created.TourId, speaker.Id, speaker.Token), hostLinks);
    }
}
