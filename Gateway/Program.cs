using TourPlanner.Gateway.Demo;
using TourPlanner.Gateway.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddTourPlannerGateway();

var app = builder.Build();
app.MapTourPlannerApi();

if (args.Contains("--demo")) app.Lifetime.ApplicationStarted.Register(() => _ = DemoSeeder.SeedAndPrintAsync(app));

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
