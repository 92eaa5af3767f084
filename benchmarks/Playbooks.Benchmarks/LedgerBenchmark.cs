using System.Diagnostics;
using System.Globalization;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.Storage;

namespace Playbooks.Benchmarks;

/// <summary>
/// The call ledger alone over Azurite, without HTTP: records of one org from as many concurrent writers as wrk has
/// connections, for each bound on writes in flight, next to Azurite's raw single inserts into one partition and a
/// lone insert's latency from the same run.
/// </summary>
internal sealed class LedgerBenchmark(string connectionString, TextWriter output)
{
    public async Task<int> RunAsync(int concurrency, int seconds)
    {
        var tables = new TableServiceClient(connectionString);
        await tables.CreateTableIfNotExistsAsync(TableNames.Calls);
        output.WriteLine($"ledger: one org, {concurrency} concurrent writers, {seconds} s each after a {StorageRates.WarmUpSeconds} s warm-up; {Environment.ProcessorCount} cores; Azurite in memory");

        var raw = tables.GetTableClient(TableNames.Calls);
        long n = 0;
        var lone = await StorageRates.LoopAsync(1, seconds, () => raw.AddEntityAsync(Row("raw-lone", Interlocked.Increment(ref n))));
        output.WriteLine($"raw: a lone AddEntity (1 writer): {lone.PerSecond:N0}/s, p50 {lone.P50:F2} ms, p99 {lone.P99:F2} ms");
        var inserts = await StorageRates.LoopAsync(concurrency, seconds, () => raw.AddEntityAsync(Row(null, Interlocked.Increment(ref n))));
        output.WriteLine($"raw: AddEntity into one org's {CallLedger.Buckets} ledger partitions, each row in its SID's ({concurrency} writers): {inserts.PerSecond:N0}/s, p50 {inserts.P50:F1} ms, p99 {inserts.P99:F1} ms");

        foreach (var inFlight in new[] { 1, 2, 4, 8, 16, concurrency })
        {
            var counter = new CountingPolicy();
            var options = new TableClientOptions();
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
            var ledger = new CallLedger(new TableServiceClient(connectionString, options), Options.Create(new CallLedgerOptions { MaxWritesInFlightPerPartition = inFlight }));
            var orgId = $"bench-ledger-{inFlight}";
            long sid = 0;
            var rate = await StorageRates.LoopAsync(concurrency, seconds, () => ledger.RecordAsync(new CallRecord(
                orgId, "CA" + Interlocked.Increment(ref sid).ToString("x32", CultureInfo.InvariantCulture), "rep-0001", CallingMethod.Computer, "+12015550100", DateTimeOffset.UtcNow)));
            var recorded = Interlocked.Read(ref sid);
            output.WriteLine($"ledger, at most {inFlight,2} writes in flight per partition: {rate.PerSecond:N0} records/s = {rate.PerSecond / inserts.PerSecond:P0} of raw, p50 {rate.P50:F1} ms, p99 {rate.P99:F1} ms, {(double)recorded / counter.Count:F1} records per write");
        }

        return 0;
    }

    /// <summary>A ledger-shaped row; with no partition given, in the SID's partition of the org "raw-org" as the ledger puts it.</summary>
    private static TableEntity Row(string? partition, long n) => Row(partition, "CA" + n.ToString("x32", CultureInfo.InvariantCulture));

    private static TableEntity Row(string? partition, string sid) => new(partition ?? CallLedger.PartitionFor("raw-org", sid), sid)
    {
        ["UserId"] = "rep-0001", ["Method"] = "computer", ["ProspectNumber"] = "+12015550100", ["CreatedAt"] = DateTimeOffset.UtcNow,
    };

    private sealed class CountingPolicy : Azure.Core.Pipeline.HttpPipelineSynchronousPolicy
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
