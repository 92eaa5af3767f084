using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Playbooks.Calling;
using Playbooks.Calling.Calls;
using Playbooks.Calling.Twilio;

namespace Playbooks.Benchmarks;

/// <summary>
/// CPU cost of the token mint's own steps, one thread, no I/O: each step in a loop after a warm-up, with the time and
/// the bytes allocated per operation, so the load benchmark's token figure can be taken apart.
/// </summary>
internal sealed class TokenMintBenchmark(TextWriter output)
{
    private const int Iterations = 20_000;

    public int Run()
    {
        TwilioOptions Settings(TimeSpan reuse) => new()
        {
            AccountSid = "AC00000000000000000000000000000de7",
            ApiKeySid = "SK00000000000000000000000000000de7",
            ApiKeySecret = "development-only-api-key-secret-000",
            TwimlAppSid = "AP00000000000000000000000000000de7",
            TokenReuseWindow = reuse,
        };
        var issuer = new VoiceTokenIssuer(Options.Create(Settings(TimeSpan.Zero)));
        var reusing = new VoiceTokenIssuer(Options.Create(Settings(TwilioOptions.MaxTokenReuseWindow)));
        var now = DateTimeOffset.UtcNow;
        var minted = issuer.Issue("bench-org", "rep-0001", now).Value!;
        var json = new JsonSerializerOptions();
        PlaybooksJson.Configure(json);
        var answer = new CallToken(minted.Token, minted.Identity, minted.ExpiresAt,
            new DeviceOptions(["ashburn", "umatilla"], ["opus", "pcmu"], CallTokenService.CloseProtectionMessage));
        var bearer = new string('x', 900);

        output.WriteLine($"token mint steps, one thread, {Iterations:N0} iterations each after as many warm-up iterations");
        Measure("VoiceTokenIssuer.Issue, minted (the SDK's access token)", i => issuer.Issue("bench-org", "rep-" + (i % 1000), now));
        Measure("VoiceTokenIssuer.Issue, handed out again within the reuse window", i => reusing.Issue("bench-org", "rep-" + (i % 1000), now));
        Measure("ClientIdentity.Encode", i => ClientIdentity.Encode("bench-org", "rep-" + (i % 1000)));
        Measure("the answer as JSON (System.Text.Json)", _ => JsonSerializer.SerializeToUtf8Bytes(answer, json));
        Measure("SHA-256 of a 900-character bearer token", _ => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(bearer)));
        return 0;
    }

    private void Measure(string name, Func<int, object?> step)
    {
        for (var i = 0; i < Iterations; i++) step(i);
        var bytes = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++) step(i);
        clock.Stop();
        bytes = GC.GetAllocatedBytesForCurrentThread() - bytes;
        output.WriteLine($"{name}: {clock.Elapsed.TotalMicroseconds / Iterations:F1} us/op, {bytes / Iterations:N0} bytes/op");
    }
}
