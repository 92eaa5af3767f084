using Playbooks.Calling.Calls;

namespace Playbooks.DevServer.Calls;

/// <summary>The dev server's stand-in for the timer-triggered OpenCallSweepFunction: the same run, every few seconds.</summary>
internal sealed class OpenCallSweepLoop(OpenCallSweeper sweeper, IConfiguration configuration, ILogger<OpenCallSweepLoop> logger)
    : TimerLoop(configuration.GetValue("DevServer:OpenCallSweepInterval", TimeSpan.FromSeconds(15)), logger)
{
    protected override string Name => "The open-call sweep";

    protected override Task RunAsync(CancellationToken cancellationToken) => sweeper.RunAsync(cancellationToken);
}
