using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Activity;
using Playbooks.Calling.CallEvents;

namespace Playbooks.Functions.Activity;

/// <summary>
/// Drains the call-event queue into activities on a timer (setting CallEventsDrainSchedule, e.g. every 5 s), within
/// CallEvents:DrainBudgetSeconds. A timer because the Service Bus trigger binding is not available to this build.
/// </summary>
public sealed class ActivityWriterFunction(ActivityWriter writer, IOptions<CallEventsOptions> options, ILogger<ActivityWriterFunction> logger)
{
    [Function(nameof(ActivityWriterFunction))]
    public async Task Run([TimerTrigger("%CallEventsDrainSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var result = await writer.DrainAsync(options.Value.DrainBudget, cancellationToken);
        if (result.Received > 0)
        {
            logger.LogInformation("Drained {Received} call events: {Completed} completed, {Abandoned} abandoned, {DeadLettered} dead-lettered",
                result.Received, result.Completed, result.Abandoned, result.DeadLettered);
        }
    }
}
