using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Crm;

namespace Playbooks.Calling.Tests.Crm;

/// <summary>The CRM client as registered: reads retried on transient failures, writes and Retry-After answers never.</summary>
public sealed class CrmResilienceTests
{
    private sealed class Answers(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var status = statuses[Math.Min(Requests, statuses.Length - 1)];
            Requests++;
            return Task.FromResult(new HttpResponseMessage(status));
        }
    }

    private static HttpClient Client(Answers answers)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Crm:ReadRetryDelay"] = "00:00:00",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddPlaybooksCrm(configuration);
        services.AddHttpClient(CrmServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => answers);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient(CrmServiceCollectionExtensions.HttpClientName);
    }

    [Fact]
    public async Task Read_ServerErrorThenSuccess_RetriedAndSucceeds()
    {
        var answers = new Answers(HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.OK);

        using var response = await Client(answers).GetAsync("https://acme.my.salesforce.com/services/data/v60.0/query?q=x");

        Assert.Equal((HttpStatusCode.OK, 3), (response.StatusCode, answers.Requests));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task Write_ServerError_NotRetried(string method)
    {
        var answers = new Answers(HttpStatusCode.InternalServerError, HttpStatusCode.OK);

        using var response = await Client(answers).SendAsync(new HttpRequestMessage(new HttpMethod(method), "https://acme.my.salesforce.com/services/data/v60.0/composite/sobjects"));

        Assert.Equal((HttpStatusCode.InternalServerError, 1), (response.StatusCode, answers.Requests));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task Read_RetryAfterAnswer_LeftToTheOrgsHold(HttpStatusCode status)
    {
        var answers = new Answers(status, HttpStatusCode.OK);

        using var response = await Client(answers).GetAsync("https://acme.my.salesforce.com/services/data/v60.0/query?q=x");

        Assert.Equal((status, 1), (response.StatusCode, answers.Requests));
    }
}
