namespace TourPlanner.Grains.Implementation;

/// <summary>The host grain's durable state.</summary>
[GenerateSerializer, Immutable]
public sealed record HostState([property: Id(0)] HostSnapshot? Host);

/// <summary>Keeps one host group's private details and the ids of its claims.</summary>
public sealed class HostOrganizationGrain([PersistentState("host")] IPersistentState<HostState> state) : Grain, IHostOrganizationGrain
{
    async Task IHostOrganizationGrain.CreateAsync(HostSnapshot host)
    {
        if (state.State?.Host is not null) throw new InvalidOperationException($"Host {host.HostId} exists already.");
        state.State = new HostState(host);
        await state.WriteStateAsync();
    }

    Task<HostSnapshot?> IHostOrganizationGrain.GetAsync() => Task.FromResult(state.State?.Host);

    async Task IHostOrganizationGrain.AddClaimAsync(string claimId)
    {
        var host = state.State?.Host ?? throw new InvalidOperationException("Host does not exist.");
        if (host.ClaimIds.Contains(claimId)) return;
        state.State = new HostState(host with { ClaimIds = host.ClaimIds.Add(claimId) });
        await state.WriteStateAsync();
    }
}
