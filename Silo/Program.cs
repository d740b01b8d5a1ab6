using Microsoft.Extensions.Hosting;
using TourPlanner.Silo;

// A stand-alone silo. The Gateway co-hosts one by default; run this and set Gateway:CoHostSilo=false to split them.
var builder = Host.CreateApplicationBuilder(args);
builder.AddTourPlannerSilo();
await builder.Build().RunAsync();
