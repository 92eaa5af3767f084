using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Playbooks.Infra.Tests.Scripts;

/// <summary>infra/configure-twilio.sh, run for real but never against Twilio: dry runs, and a local listener.</summary>
public class ConfigureTwilioScriptTests
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AppSid = "AP0123456789abcdef0123456789abcdef";
    private const string VoiceUrl = "https://func-abc.azurewebsites.net/api/twilio/voice";
    private const string StatusUrl = "https://func-abc.azurewebsites.net/api/twilio/status";

    private static readonly string[] UrlArguments =
        ["--account-sid", AccountSid, "--twiml-app-sid", AppSid, "--voice-url", VoiceUrl, "--status-url", StatusUrl];

    [Fact]
    public async Task DryRun_AllArguments_PrintsTheApplicationUpdate()
    {
        var result = await RunAsync(["--dry-run", .. UrlArguments]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            [
                $"POST https://api.twilio.com/2010-04-01/Accounts/{AccountSid}/Applications/{AppSid}.json",
                "Authorization: Basic (TWILIO_API_KEY_SID or TWILIO_ACCOUNT_SID):****",
                $"VoiceUrl={VoiceUrl}",
                "VoiceMethod=POST",
                $"StatusCallback={StatusUrl}",
                "StatusCallbackMethod=POST",
            ],
            result.StdOut.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task DryRun_WithApiKey_NeverPrintsTheSecret()
    {
        var result = await RunAsync(["--dry-run", .. UrlArguments],
            new() { ["TWILIO_API_KEY_SID"] = "SKkey", ["TWILIO_API_KEY_SECRET"] = "very-secret-value" });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Authorization: Basic SKkey:****", result.StdOut);
        Assert.DoesNotContain("very-secret-value", result.StdOut + result.StdErr);
    }

    [Fact]
    public async Task Run_NoStatusUrl_FailsNamingTheMissingValue()
    {
        var result = await RunAsync(["--dry-run", "--account-sid", AccountSid, "--twiml-app-sid", AppSid, "--voice-url", VoiceUrl]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no status URL", result.StdErr);
    }

    [Theory]
    [InlineData("--voice-url", "http://func-abc.azurewebsites.net/api/twilio/voice")]
    [InlineData("--status-url", "https://func-abc.azurewebsites.net/api/twilio/voice")]
    [InlineData("--account-sid", "AC123")]
    [InlineData("--twiml-app-sid", "PN0123456789abcdef0123456789abcdef")]
    public async Task Run_MalformedValue_Fails(string option, string value)
    {
        var arguments = UrlArguments.ToArray();
        arguments[Array.IndexOf(arguments, option) + 1] = value;

        var result = await RunAsync(["--dry-run", .. arguments]);

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.StdOut);
    }

    [Fact]
    public async Task Run_NoCredentials_FailsWithoutSending()
    {
        var result = await RunAsync(UrlArguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no credentials", result.StdErr);
    }

    [Fact]
    public async Task Run_WithApiKey_PostsTheUrlsWithBasicAuth()
    {
        using var listener = StartListener(out var baseUrl);
        var received = ReceiveOneAsync(listener);

        var result = await RunAsync(UrlArguments, new()
        {
            ["TWILIO_API_BASE_URL"] = baseUrl,
            ["TWILIO_API_KEY_SID"] = "SKkey",
            ["TWILIO_API_KEY_SECRET"] = "s3cret",
        });
        var request = await received.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{AccountSid}/Applications/{AppSid}.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("SKkey:s3cret")), request.Authorization);
        var form = request.Body.Split('&').Select(WebUtility.UrlDecode).ToList();
        Assert.Equal([$"VoiceUrl={VoiceUrl}", "VoiceMethod=POST", $"StatusCallback={StatusUrl}", "StatusCallbackMethod=POST"], form);
    }

    private sealed record Received(string Method, string Path, string? Authorization, string Body);

    private sealed record ScriptResult(int ExitCode, string StdOut, string StdErr);

    private static HttpListener StartListener(out string baseUrl)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        baseUrl = $"http://127.0.0.1:{port}";
        var listener = new HttpListener();
        listener.Prefixes.Add(baseUrl + "/");
        listener.Start();
        return listener;
    }

    private static async Task<Received> ReceiveOneAsync(HttpListener listener)
    {
        var context = await listener.GetContextAsync();
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var received = new Received(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers["Authorization"], body);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync("{}"u8.ToArray());
        context.Response.Close();
        return received;
    }

    private static async Task<ScriptResult> RunAsync(string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoFiles.Root,
        };
        start.ArgumentList.Add(RepoFiles.PathOf("infra", "configure-twilio.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the test sets: no Twilio values or azd from the machine running the tests.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TWILIO_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return new ScriptResult(process.ExitCode, await stdout, await stderr);
    }
}
