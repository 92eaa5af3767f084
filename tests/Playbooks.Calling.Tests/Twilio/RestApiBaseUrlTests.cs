using System.Net;
using System.Text;
using Playbooks.Calling.Twilio;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Playbooks.Calling.Tests.Twilio;

public class RestApiBaseUrlTests
{
    private const string CallJson = """{"sid":"CA11111111111111111111111111111111","status":"queued"}""";

    [Theory]
    [InlineData("http://localhost:7071/sim", "http://localhost:7071/sim/2010-04-01/Accounts/AC1/Calls.json?PageSize=5")]
    [InlineData("http://localhost:7071/sim/", "http://localhost:7071/sim/2010-04-01/Accounts/AC1/Calls.json?PageSize=5")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/2010-04-01/Accounts/AC1/Calls.json?PageSize=5")]
    public void Rewrite_TwilioApiUrl_KeepsPathAndQueryUnderTheBaseUrl(string baseUrl, string expected)
    {
        // Arrange
        var handler = new RestApiBaseUrlHandler(new Uri(baseUrl));

        // Act
        var rewritten = handler.Rewrite(new Uri("https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json?PageSize=5"));

        // Assert
        Assert.Equal(expected, rewritten.AbsoluteUri);
    }

    [Fact]
    public async Task CreateRestClient_WithRestApiBaseUrl_SendsCallCreationToTheSimulator()
    {
        // Arrange
        var transport = new RecordingHandler(HttpStatusCode.Created, CallJson);
        var options = TestTwilioOptions.Create(o => o.RestApiBaseUrl = "http://localhost:7071/sim");
        var client = TwilioServiceCollectionExtensions.CreateRestClient(options, transport);

        // Act
        var call = await CallResource.CreateAsync(
            to: new PhoneNumber("+14155550100"), from: new PhoneNumber("+14155550199"), url: new Uri("https://calls.example/voice"), client: client);

        // Assert
        Assert.Equal("CA11111111111111111111111111111111", call.Sid);
        var request = Assert.Single(transport.Requests);
        Assert.Equal($"http://localhost:7071/sim/2010-04-01/Accounts/{TestTwilioOptions.AccountSid}/Calls.json", request.Uri.AbsoluteUri);
        Assert.Equal("Basic", request.Authorization?.Scheme);
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(request.Authorization!.Parameter!));
        Assert.Equal($"{TestTwilioOptions.ApiKeySid}:{TestTwilioOptions.ApiKeySecret}", credentials);
    }

    [Fact]
    public async Task CreateRestClient_WithoutRestApiBaseUrl_SendsToTwilio()
    {
        // Arrange
        var transport = new RecordingHandler(HttpStatusCode.Created, CallJson);
        var client = TwilioServiceCollectionExtensions.CreateRestClient(TestTwilioOptions.Create(), transport);

        // Act
        await CallResource.CreateAsync(
            to: new PhoneNumber("+14155550100"), from: new PhoneNumber("+14155550199"), url: new Uri("https://calls.example/voice"), client: client);

        // Assert
        var request = Assert.Single(transport.Requests);
        Assert.Equal("api.twilio.com", request.Uri.Host);
        Assert.Equal(Uri.UriSchemeHttps, request.Uri.Scheme);
    }

    [Fact]
    public async Task CreateRestClient_TwilioAnswers400_GatewayGetsTheTwilioErrorCode()
    {
        // Arrange: the real client, so the 400 goes through Twilio's own error handling.
        var error = """{"code": 21211, "message": "Invalid 'To' Phone Number: +1415", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}""";
        var transport = new RecordingHandler(HttpStatusCode.BadRequest, error);
        var client = TwilioServiceCollectionExtensions.CreateRestClient(TestTwilioOptions.Create(), transport);
        var gateway = new Playbooks.Calling.Calls.TwilioCallGateway(client, Microsoft.Extensions.Logging.Abstractions.NullLogger<Playbooks.Calling.Calls.TwilioCallGateway>.Instance);

        // Act
        var result = await gateway.StartAgentLegAsync(
            "+1415", "+14155550199", new Uri("https://calls.example/voice"), new Uri("https://calls.example/status"), 7200, CancellationToken.None);

        // Assert
        Assert.Equal("agent-phone-invalid", result.Failure?.Code);
    }

    private sealed record SentRequest(Uri Uri, System.Net.Http.Headers.AuthenticationHeaderValue? Authorization);

    private sealed class RecordingHandler(HttpStatusCode status, string body) : HttpMessageHandler
    {
        public List<SentRequest> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new SentRequest(request.RequestUri!, request.Headers.Authorization));
            return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
