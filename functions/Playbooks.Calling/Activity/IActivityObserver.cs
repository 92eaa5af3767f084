namespace Playbooks.Calling.Activity;

/// <summary>An activity before and after one event was merged and saved.</summary>
public sealed record ActivityChange(CallActivity? Previous, CallActivity Current)
{
    /// <summary>False for a replayed event (or one that lost to what was stored); nothing was written then.</summary>
    public bool Changed => Previous != Current;
}

/// <summary>
/// The step after a successful merge: the CRM sync. Called for every processed event, changed or not, so a step that
/// failed last time runs again when the event is redelivered. Throwing abandons the event, which is then redelivered.
/// </summary>
public interface IActivityObserver
{
    Task OnMergedAsync(ActivityChange change, CancellationToken cancellationToken);
}

/// <summary>The default when no CRM connector is registered.</summary>
public sealed class NoActivityObserver : IActivityObserver
{
    public Task OnMergedAsync(ActivityChange change, CancellationToken cancellationToken) => Task.CompletedTask;
}
