using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Storage;

namespace Playbooks.Calling.Bootstrap;

/// <summary>
/// Runs <see cref="BootstrapService"/> at start-up in the Functions worker and the dev server alike (both are generic
/// hosts; registered after the tables initializer, so the tables exist). The first attempt runs during start-up; when
/// storage is unreachable or refuses, the app starts anyway and later attempts run in the background with growing delays.
/// </summary>
public sealed class BootstrapRunner(
    BootstrapService bootstrap, IOptions<BootstrapOptions> options, TimeProvider clock, ILogger<BootstrapRunner> logger) : IHostedService
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _retries = Task.CompletedTask;

    /// <summary>Completes when the bootstrap has succeeded (or stopped trying because the host stopped).</summary>
    public Task Retries => _retries;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        if (!await TryOnceAsync(attempt: 1, cancellationToken))
        {
            _retries = RetryAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAny(_retries, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    private async Task RetryAsync(CancellationToken stopping)
    {
        var delay = options.Value.FirstRetryDelay;
        for (var attempt = 2; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(delay, clock, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (await TryOnceAsync(attempt, stopping))
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxRetryDelay.Ticks));
        }
    }

    private async Task<bool> TryOnceAsync(int attempt, CancellationToken cancellationToken)
    {
        var orgId = options.Value.EffectiveOrgId;
        try
        {
            var result = await bootstrap.EnsureAsync(cancellationToken);
            if (result.Failure is { } failure)
            {
                logger.LogWarning("Bootstrap of org {OrgId} refused on attempt {Attempt}: {Code}; retrying", orgId, attempt, failure.Code);
                return false;
            }
            var outcome = result.Value!;
            logger.LogInformation("Bootstrap of org {OrgId}: org created {OrgCreated}, first admin created {AdminCreated}",
                orgId, outcome.OrgCreated, outcome.AdminCreated);
            return true;
        }
        catch (Exception ex) when (AzureIdentity.IsStorageUnreachable(ex))
        {
            logger.LogError(ex, "Bootstrap of org {OrgId} failed on attempt {Attempt}; is storage reachable? Retrying", orgId, attempt);
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return true;
        }
    }
}
