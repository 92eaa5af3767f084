using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Identity;
using Playbooks.Calling.Orgs;
using Playbooks.Calling.PermissionGroups;
using Playbooks.Calling.People;
using Playbooks.Calling.Storage;

namespace Playbooks.Benchmarks;

/// <summary>
/// The dev server as the load and mixed modes run it: built in Release, started as a process of its own in Development
/// over the benchmark's Azurite, without the demo org, with warnings and errors in a log file.
/// </summary>
internal static class BenchmarkServer
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Dll(string repoRoot) =>
        Path.Combine(repoRoot, "functions", "Playbooks.DevServer", "bin", "Release", "net10.0", "Playbooks.DevServer.dll");

    public static string Build(string repoRoot, TextWriter output)
    {
        output.WriteLine($"building {repoRoot}/functions/Playbooks.DevServer in Release ...");
        using var build = Process.Start(new ProcessStartInfo("dotnet", "build functions/Playbooks.DevServer -c Release -nologo -v quiet")
        {
            WorkingDirectory = repoRoot,
        })!;
        build.WaitForExit();
        if (build.ExitCode != 0) throw new InvalidOperationException("The dev server did not build.");
        return Dll(repoRoot);
    }

    /// <summary>Starts the server listening on <paramref name="listenUrl"/>; <paramref name="settings"/> come on top of the common ones.</summary>
    public static Process Start(
        string repoRoot, string dll, string connectionString, string listenUrl, string publicBaseUrl,
        IEnumerable<KeyValuePair<string, string>> settings, string logPath)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            // The content root, as with dotnet run: appsettings.Development.json holds the dev identity and Twilio values.
            WorkingDirectory = Path.Combine(repoRoot, "functions", "Playbooks.DevServer"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = listenUrl,
            ["Storage__ConnectionString"] = connectionString,
            ["DevServer__RepoRoot"] = repoRoot,
            ["DevServer__SeedDemoOrg"] = "false",
            ["Twilio__PublicBaseUrl"] = publicBaseUrl,
            ["Twilio__RestApiBaseUrl"] = publicBaseUrl + "/sim",
            // Benchmark only: 1,000 mints per rep per minute, so the per-user limit is never what is measured.
            ["Twilio__TokenRequestsPerMinute"] = "1000",
            // Request logging would be measured too; warnings and errors still go to the server log.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in settings) environment[name] = value;
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var process = Process.Start(start)!;
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitHealthyAsync(Process server, HttpClient http, string logPath)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (server.HasExited) throw new InvalidOperationException($"The dev server exited with {server.ExitCode}; see {logPath}.");
            try
            {
                using var response = await http.GetAsync("/api/health");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The dev server did not become healthy within 90 s.");
    }

    /// <summary>
    /// The benchmark's org, written straight to storage before the server starts: computer calling on, its own caller
    /// ID, one permission group allowing both methods, and the given reps in it.
    /// </summary>
    public static async Task SeedOrgAsync(string connectionString, string orgId, string name, string callerId, string groupId, IReadOnlyList<string> reps)
    {
        var tables = new TableServiceClient(connectionString);
        foreach (var table in TableNames.All) await tables.CreateTableIfNotExistsAsync(table);
        var assigned = await new CallerIdStore(tables).AssignAsync(new CallerIdAssignment(callerId, orgId, DateTimeOffset.UtcNow, "benchmark"));
        if (!assigned.IsSuccess) throw new InvalidOperationException("Could not assign the benchmark org's caller ID.");
        await new OrgStore(tables).UpsertAsync(new OrgSettings { OrgId = orgId, Name = name, ComputerCallingEnabled = true, CallerId = callerId });
        await new PermissionGroupStore(tables).UpsertAsync(new PermissionGroup
        {
            OrgId = orgId, Id = groupId, Name = "Callers", AllowComputer = true, AllowPhone = true,
        });
        var people = new PersonStore(tables);
        await Parallel.ForEachAsync(reps.Select((userId, i) => (userId, n: i + 1)), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (rep, ct) =>
            await people.UpsertAsync(new Person
            {
                OrgId = orgId, UserId = rep.userId, DisplayName = $"Rep {rep.n}", PermissionGroupId = groupId,
                CallingPreference = CallingMethod.Computer, Roles = [AppRoles.Rep],
            }, ct));
    }
}
