namespace Playbooks.DevServer.Tests.Benchmark;

/// <summary>The dev server as the load benchmark starts it: storage round trips made while serving requests are counted.</summary>
public sealed class StorageCountingServer : DevServerFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["DevServer:CountStorageCalls"] = "true",
    };
}
