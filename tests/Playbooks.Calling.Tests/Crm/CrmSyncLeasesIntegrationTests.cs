using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Playbooks.Calling.Activity;
using Playbooks.Calling.Crm;
using Playbooks.Calling.Crm.Salesforce;

namespace Playbooks.Calling.Tests.Crm;

[Collection(AzuriteCollection.Name)]
public sealed class CrmSyncLeasesIntegrationTests(AzuriteStorage storage)
{
    private readonly FakeTimeProvider _clock = new(CrmTestKit.Start);

    private CrmSyncLeases Leases(TimeProvider? clock = null) =>
        new(storage.Tables, CrmTestKit.Options(o => o.LeaseDuration = TimeSpan.FromMinutes(10)), clock ?? _clock, NullLogger<CrmSyncLeases>.Instance);

    [Fact]
    public async Task TryAcquireAsync_HeldByAnotherInstance_BusyUntilGivenBack()
    {
        var orgId = AzuriteStorage.NewOrgId();

        var first = await Leases().TryAcquireAsync(orgId, default);
        var second = await Leases().TryAcquireAsync(orgId, default);
        await Leases().ReleaseAsync(first.Lease!, CrmHold.None, default);
        var third = await Leases().TryAcquireAsync(orgId, default);

        Assert.NotNull(first.Lease);
        Assert.Null(second.Lease);
        Assert.Equal(CrmTestKit.Start.AddMinutes(10), second.NotBefore);
        Assert.NotNull(third.Lease);
    }

    [Fact]
    public async Task TryAcquireAsync_WriterDiedHoldingTheLease_TakenOverOnceItExpires()
    {
        var orgId = AzuriteStorage.NewOrgId();
        var died = await Leases().TryAcquireAsync(orgId, default);

        _clock.Advance(TimeSpan.FromMinutes(9));
        var early = await Leases().TryAcquireAsync(orgId, default);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var late = await Leases().TryAcquireAsync(orgId, default);
        await Leases().ReleaseAsync(died.Lease!, new CrmHold(CrmTestKit.Start.AddHours(1), 1), default);

        Assert.Null(early.Lease);
        Assert.NotNull(late.Lease);
        // The dead writer's late release does not undo the new holder's lease.
        Assert.Null((await Leases().TryAcquireAsync(orgId, default)).Lease);
    }

    [Fact]
    public async Task ReleaseAsync_WithRetryAfterHold_EveryInstanceWaitsItOutThenKeepsTheFailureCount()
    {
        var orgId = AzuriteStorage.NewOrgId();
        var lease = (await Leases().TryAcquireAsync(orgId, default)).Lease!;

        await Leases().ReleaseAsync(lease, new CrmHold(CrmTestKit.Start.AddMinutes(3), 2), default);
        var held = await Leases().TryAcquireAsync(orgId, default);
        _clock.Advance(TimeSpan.FromMinutes(4));
        var after = await Leases().TryAcquireAsync(orgId, default);

        Assert.Null(held.Lease);
        Assert.Equal((CrmTestKit.Start.AddMinutes(3), "The CRM asked us to wait."), (held.NotBefore!.Value, held.Reason));
        Assert.Equal(2, after.Lease!.Hold.Failures);
    }

    [Fact]
    public async Task SyncOrgAsync_TwoInstancesRaceOn200PendingCalls_Exactly200Tasks()
    {
        var orgId = AzuriteStorage.NewOrgId();
        var salesforce = new InMemorySalesforce();
        await new CrmConnectionStore(storage.Tables).SaveAsync(CrmTestKit.Salesforce(orgId, "http://127.0.0.1:5999"), null);
        var activities = new ActivityStore(storage.Tables, TimeProvider.System);
        var sids = Enumerable.Range(1, 200).Select(CrmTestKit.Sid).ToList();
        await Parallel.ForEachAsync(sids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (sid, ct) =>
            await activities.UpdateAsync(new ActivityKey(orgId, sid), _ => CrmTestKit.Ended(orgId, sid), ct));
        var instances = new[] { Instance(orgId, salesforce), Instance(orgId, salesforce) };

        using var start = new Barrier(instances.Length);
        await Task.WhenAll(instances.Select(runner => Task.Run(async () =>
        {
            start.SignalAndWait();
            // Each instance keeps running the sync until nothing is pending; a run that finds the lease taken does nothing.
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (DateTime.UtcNow < deadline && await PendingAsync(activities, orgId) > 0)
            {
                await runner.SyncOrgAsync(orgId, default);
                await Task.Delay(5);
            }
        })));

        Assert.Equal(0, await PendingAsync(activities, orgId));
        Assert.Equal(200, salesforce.DistinctCalls);
        Assert.Equal(200, salesforce.Creates);
    }

    private static async Task<int> PendingAsync(IActivityRepository activities, string orgId) =>
        (await activities.ListByCrmSyncAsync(orgId, CrmSyncState.Pending, 1000, default)).Count;

    /// <summary>One instance of the app: its own holds, leases, token cache and connector, over the shared storage and Salesforce.</summary>
    private CrmSyncRunner Instance(string orgId, InMemorySalesforce salesforce)
    {
        var clock = TimeProvider.System;
        var options = CrmTestKit.Options();
        var secrets = new CrmSecrets(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"Crm:Secrets:{CrmSecretNames.ClientSecret(orgId)}"] = CrmTestKit.SecretValue,
            }).Build(),
            options, clock);
        var connector = new SalesforceConnector(salesforce, secrets, new CrmTokenCache(clock), options, clock, NullLogger<SalesforceConnector>.Instance);
        var connections = new CrmConnectionStore(storage.Tables);
        var holds = new CrmOrgHolds(options, clock);
        var sync = new CrmSyncService(connections, [connector], holds, options, clock, NullLogger<CrmSyncService>.Instance);
        return new CrmSyncRunner(new ActivityStore(storage.Tables, clock), connections, sync, holds, Leases(clock), options,
            NullLogger<CrmSyncRunner>.Instance, new CrmSyncWarnings(storage.Tables, clock));
    }
}
