using System.Collections.Concurrent;
using NodaTime;

namespace TourPlanner.Tests.Storage;

/// <summary>A grain whose only job is to persist a <see cref="TripState"/> through the default storage provider.</summary>
public interface ITripTestGrain : IGrainWithStringKey
{
    Task Save(string title);

    Task<TripState> GetTrip();

    Task<bool> HasStoredRecord();

    Task<Guid> GetActivationId();
}

/// <summary>Persists through <c>[PersistentState]</c> with no storage name, so Orleans picks the default provider.</summary>
public sealed class TripTestGrain([PersistentState("trip")] IPersistentState<TripState> trip) : Grain, ITripTestGrain
{
    private readonly Guid _activationId = Guid.NewGuid();

    public async Task Save(string title)
    {
        trip.State.Title = title;
        trip.State.StartDate = new LocalDate(2026, 9, 1);
        trip.State.BookedAt = Instant.FromUtc(2026, 2, 1, 10, 0);
        await trip.WriteStateAsync();
    }

    public Task<TripState> GetTrip() => Task.FromResult(trip.State);

    public Task<bool> HasStoredRecord() => Task.FromResult(trip.RecordExists);

    public Task<Guid> GetActivationId() => Task.FromResult(_activationId);
}

/// <summary>A grain that registers reminders and reports each tick to <see cref="ReminderProbe"/>.</summary>
public interface IReminderTestGrain : IGrainWithStringKey
{
    Task Register(string reminderName, TimeSpan dueTime, TimeSpan period);

    Task Unregister(string reminderName);
}

/// <summary>Reports reminder ticks to the in-process <see cref="ReminderProbe"/>.</summary>
public sealed class ReminderTestGrain : Grain, IReminderTestGrain, IRemindable
{
    public Task Register(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        this.RegisterOrUpdateReminder(reminderName, dueTime, period);

    public async Task Unregister(string reminderName)
    {
        var reminder = await this.GetReminder(reminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ReminderProbe.Fired(this.GetPrimaryKeyString(), reminderName);
        return Task.CompletedTask;
    }
}

/// <summary>Lets a test await the next tick of a reminder; works because the test silos run in this process.</summary>
public static class ReminderProbe
{
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Waiters = new();

    /// <summary>Starts listening for the next tick; ticks before this call are ignored.</summary>
    public static Task NextTick(string grainKey, string reminderName)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Waiters[Key(grainKey, reminderName)] = waiter;
        return waiter.Task;
    }

    public static void Fired(string grainKey, string reminderName)
    {
        if (Waiters.TryRemove(Key(grainKey, reminderName), out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private static string Key(string grainKey, string reminderName) => $"{grainKey}/{reminderName}";
}
