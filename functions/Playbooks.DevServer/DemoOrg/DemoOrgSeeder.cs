using Playbooks.Calling.Storage;

namespace Playbooks.DevServer.DemoOrg;

/// <summary>Seeds the demo org at start-up (Development only), after the tables exist.</summary>
internal sealed class DemoOrgSeeder(DemoOrgSeed seed, ILogger<DemoOrgSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await seed.SeedAsync(cancellationToken);
            logger.LogInformation("Seeded the demo org {OrgId} with {Users} users", DemoOrgSeed.OrgId, DemoOrgSeed.Users.Count);
        }
        catch (Exception ex) when (AzureIdentity.IsStorageUnreachable(ex))
        {
            // The server still starts, and /api/health says storage is unreachable.
            logger.LogError(ex, "Could not seed the demo org");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
