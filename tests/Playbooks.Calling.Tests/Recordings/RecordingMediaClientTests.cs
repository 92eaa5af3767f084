using System.Net;
using System.Text;
using Playbooks.Calling.Recordings;
using Playbooks.Calling.Tests.Twilio;

namespace Playbooks.Calling.Tests.Recordings;

public class RecordingMediaClientTests
{
    private const string RecordingSid = "RE0123456789abcdef0123456789abcdef";

    private static RecordingMediaClient Client(StubHandler handler, string? restBase = null) =>
        new(new HttpClient(handler), TestTwilioOptions.Wrap(o => o.RestApiBaseUrl = restBase));

    [Fact]
    public async Task OpenAsync_Recording_SendsApiKeyBasicAuthToTwiliosMediaUrlForTheSid()
    {
        // Arrange
        var handler = StubHandler.Audio([1, 2, 3]);

        // Act
        using var media = await Client(handler).OpenAsync(RecordingSid);

        // Assert
        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(
            $"https://api.twilio.com/2010-04-01/Accounts/{TestTwilioOptions.AccountSid}/Recordings/{RecordingSid}.wav",
            request.RequestUri!.ToString());
        Assert.Equal("Basic", request.Headers.Authorization!.Scheme);
        Assert.Equal(
            $"{TestTwilioOptions.ApiKeySid}:{TestTwilioOptions.ApiKeySecret}",
            Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.Parameter!)));
    }

    [Fact]
    public async Task OpenAsync_Recording_StreamsTheAudioWithItsType()
    {
        var handler = StubHandler.Audio([82, 73, 70, 70], "audio/x-wav");

        using var media = await Client(handler).OpenAsync(RecordingSid);

        using var copy = new MemoryStream();
        await media!.Content.CopyToAsync(copy);
        Assert.Equal([82, 73, 70, 70], copy.ToArray());
        Assert.Equal("audio/x-wav", media.ContentType);
        Assert.Equal(4, media.Length);
    }

    [Fact]
    public async Task OpenAsync_UpstreamSaysNotAudio_ServesItAsWav()
    {
        var handler = StubHandler.Audio([1], "text/html");

        using var media = await Client(handler).OpenAsync(RecordingSid);

        Assert.Equal("audio/wav", media!.ContentType);
    }

    [Fact]
    public async Task OpenAsync_RestBaseConfigured_BuildsTheUrlOnThatBase()
    {
        var handler = StubHandler.Audio([1]);

        using var media = await Client(handler, "http://localhost:7071/sim/").OpenAsync(RecordingSid);

        Assert.Equal(
            $"http://localhost:7071/sim/2010-04-01/Accounts/{TestTwilioOptions.AccountSid}/Recordings/{RecordingSid}.wav",
            Assert.Single(handler.Requests).RequestUri!.ToString());
    }

    [Theory]
    [InlineData("https://evil.example/RE0123456789abcdef0123456789abcdef")]
    [InlineData("RE0123456789abcdef0123456789abcdef/../../Calls")]
    [InlineData("../Calls/CA0123456789abcdef0123456789abcdef")]
    [InlineData("RE0123456789abcdef0123456789abcdef?x=1")]
    [InlineData("CA0123456789abcdef0123456789abcdef")]
    [InlineData("")]
    public async Task OpenAsync_NotARecordingSid_ThrowsWithoutARequest(string sid)
    {
        var handler = StubHandler.Audio([1]);

        await Assert.ThrowsAsync<ArgumentException>(() => Client(handler).OpenAsync(sid));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task OpenAsync_TwilioHasNoSuchRecording_ReturnsNull()
    {
        var media = await Client(StubHandler.Status(HttpStatusCode.NotFound)).OpenAsync(RecordingSid);

        Assert.Null(media);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task OpenAsync_TwilioRefusesOrFails_ThrowsRecordingMediaException(HttpStatusCode status)
    {
        var error = await Assert.ThrowsAsync<RecordingMediaException>(() => Client(StubHandler.Status(status)).OpenAsync(RecordingSid));

        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_TwilioUnreachable_ThrowsRecordingMediaException()
    {
        var handler = new StubHandler(_ => throw new HttpRequestException("connection refused"));

        await Assert.ThrowsAsync<RecordingMediaException>(() => Client(handler).OpenAsync(RecordingSid));
    }
}
