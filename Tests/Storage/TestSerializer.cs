using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace TourPlanner.Tests.Storage;

/// <summary>The Orleans binary grain-state serializer, built outside a silo for direct provider tests.</summary>
public static class TestSerializer
{
    private static readonly Lazy<IGrainStorageSerializer> Shared = new(() =>
    {
        var services = new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(TripState).Assembly).AddAssembly(typeof(TourPlanner.Grains.GrainStateTypes).Assembly))
            .BuildServiceProvider();
        return new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
    });

    public static IGrainStorageSerializer Instance => Shared.Value;
}
