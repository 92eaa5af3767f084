using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Playbooks.Calling.Recordings;
using Playbooks.DevServer.TwilioSimulator;

namespace Playbooks.DevServer.Tests.TwilioSimulator;

/// <summary>Recording media from the simulator's REST emulation, fetched as our playback route fetches it from Twilio.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class RecordingMediaTests(SimulatorServer server)
{
    private readonly SimulatorClient _sim = server.Simulator;

    private async Task<string> RecordedCallAsync(string mode, int seconds)
    {
        var callSid = await _sim.ConnectAsync(server.VoiceToken(), PhoneBehaviour.HangsUpAfter(seconds), new Dictionary<string, string> { ["Recording"] = mode });
        await _sim.WaitUntilSettledAsync(callSid);
        return Assert.Single(server.Webhooks.RecordingCallbacks(callSid))["RecordingSid"];
    }

    private RecordingMediaClient MediaClient() =>
        new(new HttpClient(server.Server.CreateHandler()), Options.Create(SimulatorSettings.Twilio(server.Webhooks.BaseUrl, SimulatorServer.RestApiBaseUrl)));

    [Fact]
    public async Task Media_OurClientWithTheApiKey_GetsAValidWavOfTheRecordingsLengthAndChannels()
    {
        // Arrange
        var recordingSid = await RecordedCallAsync("dual-channel", 5);

        // Act
        using var media = await MediaClient().OpenAsync(recordingSid);

        // Assert
        using var copy = new MemoryStream();
        await media!.Content.CopyToAsync(copy);
        var wav = copy.ToArray();
        Assert.Equal("audio/x-wav", media.ContentType);
        Assert.Equal(("RIFF", "WAVE", "fmt ", "data"), (Ascii(wav, 0), Ascii(wav, 8), Ascii(wav, 12), Ascii(wav, 36)));
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        Assert.Equal((short)1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20))); // PCM
        Assert.Equal((short)2, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22))); // dual channel
        Assert.Equal(8000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(5 * 8000 * 2 * 2, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40)));
        Assert.Equal(44 + (5 * 8000 * 2 * 2), wav.Length);
        Assert.Contains(wav.Skip(44), b => b != 0);
    }

    [Fact]
    public async Task Media_NoCredentials_Returns401LikeTwilioWithMediaAuthOn()
    {
        var recordingSid = await RecordedCallAsync("record-from-answer", 5);
        using var http = server.CreateClient();

        var response = await http.GetAsync($"/sim/2010-04-01/Accounts/{SimulatorSettings.AccountSid}/Recordings/{recordingSid}.wav");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("20003", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_AccountSidAndAuthTokenWithoutExtension_ServesWav()
    {
        var recordingSid = await RecordedCallAsync("record-from-answer", 5);
        using var http = server.CreateClient();
        var twilio = SimulatorSettings.Twilio(server.Webhooks.BaseUrl);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{twilio.AccountSid}:{twilio.AuthToken}")));

        var response = await http.GetAsync($"/sim/2010-04-01/Accounts/{SimulatorSettings.AccountSid}/Recordings/{recordingSid}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("RIFF", Ascii(await response.Content.ReadAsByteArrayAsync(), 0));
    }

    [Fact]
    public async Task Media_UnknownRecording_OurClientGetsNull()
    {
        using var media = await MediaClient().OpenAsync(TwilioFormats.NewSid("RE"));

        Assert.Null(media);
    }

    private static string Ascii(byte[] bytes, int offset) => Encoding.ASCII.GetString(bytes, offset, 4);
}
