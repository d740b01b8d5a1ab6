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
        new("Managua", "NI", "America/Managua", 12.1364, -86.2514, "Sindicato de Trabajadores", "Casa Sindical", 12, false),
        new("London", "GB", "Europe/London", 51.5072, -0.1276, "Migrant Workers Solidarity", "Conway Hall", 16, false),
    ];

    public static async Task SeedAndPrintAsync(WebApplication app)
    {
        try
        {
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            var clock = app.Services.GetRequiredService<IClock>();
            var baseUrl = app.Urls.FirstOrDefault() ?? "http://localhost:5080";
            var start = clock.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["America/New_York"]).Date.PlusDays(30);
            var command = new CreateTour
            {
                Name = "Fight Like Calero — Fight to Win", Description = "A speaking tour in defense of immigrant workers. Demo data.",
                TimeZone = "America/New_York", StartDate = start, EndDate = start.PlusDays(24),
                Speakers = [new SpeakerInput { Name = "Róger Calero", HomeCity = "Newark", HomeTimeZone = "America/New_York", Home = new GeoPoint(40.7357, -74.1724) }],
            };
            var tourId = Grains.Domain.Tokens.NewId("t_");
            var slug = ToursApi.Slugify(command.Name) + "-demo-" + tourId[2..6].ToLowerInvariant();
            await grains.GetGrain<ITourSlugGrain>(slug).ReserveAsync(tourId);
            var tour = grains.GetGrain<ITourGrain>(tourId);
            var created = (await tour.CreateAsync(CommandContext.System, command, slug)).Value!;
            var organizer = CommandContext.Of(Principal.ForOrganizer(created.OrganizerId!));
            foreach (var city in Cities)
            {
                var host = (await tour.InviteHostAsync(organizer, new InviteHost { Name = city.Host, City = city.Name, ContactName = "Demo contact", ContactEmail = "demo@example.org" })).Value!;
                var day = start.PlusDays(city.DayOffset);
                var claim = await tour.SubmitClaimAsync(CommandContext.Of(Principal.ForHost(host.HostId)), new ClaimRequest
                {
                    City = city.Name, Country = city.Country, TimeZone = city.Zone, Location = new GeoPoint(city.Lat, city.Lon), Dates = [day],
                    Venue = new Venue { Name = city.Venue, Address = city.Name },
                    Events =
                    [
                        new EventInput { Title = $"Public meeting in {city.Name}: defend immigrant workers", Start = day.At(new LocalTime(19, 0)), DurationMinutes = 120 },
                        new EventInput { Title = "Meeting with the host committee", Start = day.At(new LocalTime(13, 0)), DurationMinutes = 60, Public = false },
                    ],
                }, Facts.None);
                if (city.Confirm && claim.Value is { } receipt) await tour.ConfirmClaimAsync(organizer, receipt.Claim.ClaimId, Facts.None);
            }
            Console.WriteLine();
            Console.WriteLine($"Demo tour seeded: {command.Name}");
            Console.WriteLine($"  Organizer link (keep it private): {baseUrl}{Links.Organizer(created.TourId, created.OrganizerToken)}");
            Console.WriteLine($"  Public page:                      {baseUrl}{Links.Public(created.Slug)}");
            Console.WriteLine($"  API (organizer view):             curl -H 'Authorization: Bearer {created.OrganizerToken}' {baseUrl}/api/tours/{created.TourId}");
            Console.WriteLine();
        }
        catch (Exception e)
        {
            app.Logger.LogError(e, "Seeding the demo tour failed");
        }
    }
}
