using Microsoft.Azure.Functions.Worker;
using Playbooks.Calling.Calls;

namespace Playbooks.Functions.Calls;

/// <summary>Hangs up calls nobody ended: open past the org's longest call, or left with no rep on them.</summary>
public sealed class OpenCallSweepFunction(OpenCallSweeper sweeper)
{
    [Function(nameof(OpenCallSweepFunction))]
    public Task Run([TimerTrigger("%OpenCallSweepSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        sweeper.RunAsync(cancellationToken);
}
