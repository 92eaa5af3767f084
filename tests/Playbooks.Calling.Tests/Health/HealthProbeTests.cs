using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Health;

namespace Playbooks.Calling.Tests.Health;

public sealed class HealthProbeTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new();
    private readonly CountingCheck _check = new();
    private readonly ServiceProvider _services;
    private readonly HealthProbe _probe;

    public HealthProbeTests()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddCheck("storage", _check);
        _services = services.BuildServiceProvider();
        _probe = new HealthProbe(_services.GetRequiredService<HealthCheckService>(), _clock, Options.Create(new HealthOptions()));
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task CheckAsync_WarmHealthyResult_RunsNoCheck()
    {
        await _probe.CheckAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(4));

        var summary = await _probe.CheckAsync(CancellationToken.None);

        Assert.True(summary.Healthy);
        Assert.Equal("ok", summary.Checks["storage"]);
        Assert.Equal(1, _check.Runs);
    }

    [Fact]
    public async Task CheckAsync_HealthyResultOlderThanFiveSeconds_RunsTheChecksAgain()
    {
        await _probe.CheckAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(5));

        await _probe.CheckAsync(CancellationToken.None);

        Assert.Equal(2, _check.Runs);
    }

    [Fact]
    public async Task CheckAsync_Unhealthy_IsReusedForOneSecondOnly()
    {
        _check.Result = HealthCheckResult.Unhealthy("unreachable");
        var first = await _probe.CheckAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(900));
        await _probe.CheckAsync(CancellationToken.None);
        Assert.Equal(1, _check.Runs);

        _check.Result = HealthCheckResult.Healthy("ok");
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        var recovered = await _probe.CheckAsync(CancellationToken.None);

        Assert.Equal("unhealthy", first.Status);
        Assert.Equal("unreachable", first.Checks["storage"]);
        Assert.True(recovered.Healthy);
        Assert.Equal(2, _check.Runs);
    }

    [Fact]
    public async Task CheckAsync_ConcurrentProbes_ShareOneRun()
    {
        _check.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var probes = Enumerable.Range(0, 8).Select(_ => _probe.CheckAsync(CancellationToken.None)).ToList();
        _check.Gate.SetResult();
        var summaries = await Task.WhenAll(probes);

        Assert.All(summaries, s => Assert.True(s.Healthy));
        Assert.Equal(1, _check.Runs);
    }

    [Fact]
    public async Task CheckAsync_CallerGivesUp_OtherProbesStillGetTheResult()
    {
        _check.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var abandoned = _probe.CheckAsync(impatient.Token);
        var patient = _probe.CheckAsync(CancellationToken.None);
        await impatient.CancelAsync();
        _check.Gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.True((await patient).Healthy);
    }

    [Fact]
    public async Task Invalidate_AfterAHealthyResult_NextProbeRunsTheChecks()
    {
        await _probe.CheckAsync(CancellationToken.None);

        _probe.Invalidate();
        await _probe.CheckAsync(CancellationToken.None);

        Assert.Equal(2, _check.Runs);
    }

    [Fact]
    public async Task CheckAsync_CheckHangsPastItsTimeout_ReportsUnhealthyInsteadOfThrowing()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHealthChecks().AddCheck("storage", new HangingCheck(), failureStatus: null, tags: [], timeout: TimeSpan.FromMilliseconds(200));
        using var provider = services.BuildServiceProvider();
        var probe = new HealthProbe(provider.GetRequiredService<HealthCheckService>(), _clock, Options.Create(new HealthOptions()));

        var summary = await probe.CheckAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("unhealthy", summary.Status);
        Assert.Equal("unreachable", summary.Checks["storage"]);
    }

    private sealed class HangingCheck : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }

    private sealed class CountingCheck : IHealthCheck
    {
        private int _runs;

        public int Runs => _runs;

        public HealthCheckResult Result { get; set; } = HealthCheckResult.Healthy("ok");

        public TaskCompletionSource? Gate { get; set; }

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _runs);
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            return Result;
        }
    }
}
