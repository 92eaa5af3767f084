using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Playbooks.Calling.CallerIds;
using Playbooks.Calling.Tests.Twilio;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;

namespace Playbooks.Calling.Tests.CallerIds;

public class TwilioNumberOwnershipTests
{
    private const string Number = "+14155550199";

    private readonly Mock<ITwilioRestClient> _rest = new(MockBehavior.Strict);

    private readonly List<Request> _requests = [];

    public TwilioNumberOwnershipTests() => _rest.SetupGet(c => c.AccountSid).Returns(TestTwilioOptions.AccountSid);

    private TwilioNumberOwnership Ownership => new(_rest.Object, NullLogger<TwilioNumberOwnership>.Instance);

    /// <summary>Twilio's list page: the records under <paramref name="key"/> and the paging fields.</summary>
    private static string Page(string key, params string[] numbers) => $$"""
        {"{{key}}": [{{string.Join(",", numbers.Select(n => $$"""{"sid": "PN0123456789abcdef0123456789abcdef", "account_sid": "{{TestTwilioOptions.AccountSid}}", "phone_number": "{{n}}", "friendly_name": "{{n}}"}"""))}}],
         "end": 0, "first_page_uri": "/2010-04-01/Accounts/x/List.json?PageSize=1&Page=0", "next_page_uri": null, "page": 0, "page_size": 1,
         "previous_page_uri": null, "start": 0, "uri": "/2010-04-01/Accounts/x/List.json?PageSize=1&Page=0"}
        """;

    private void Answer(string list, string json) =>
        _rest.Setup(c => c.RequestAsync(It.Is<Request>(r => r.ConstructUrl().AbsolutePath.EndsWith($"/{list}.json"))))
            .Callback<Request>(_requests.Add)
            .ReturnsAsync(new Response(HttpStatusCode.OK, json));

    private static string Query(Request request, string name) =>
        string.Join(" ", request.QueryParams.Where(p => p.Key == name).Select(p => p.Value));

    [Fact]
    public async Task IsOwnedAsync_ANumberOfTheAccount_IsOwnedWithoutAskingForVerifiedCallerIds()
    {
        // Arrange
        Answer("IncomingPhoneNumbers", Page("incoming_phone_numbers", Number));

        // Act
        var owned = await Ownership.IsOwnedAsync(Number);

        // Assert
        Assert.True(owned.Value);
        var request = Assert.Single(_requests);
        Assert.Equal(Number, Query(request, "PhoneNumber"));
        Assert.EndsWith($"/Accounts/{TestTwilioOptions.AccountSid}/IncomingPhoneNumbers.json", request.ConstructUrl().AbsolutePath);
    }

    [Fact]
    public async Task IsOwnedAsync_AVerifiedCallerId_IsOwned()
    {
        // Arrange
        Answer("IncomingPhoneNumbers", Page("incoming_phone_numbers"));
        Answer("OutgoingCallerIds", Page("outgoing_caller_ids", Number));

        // Act
        var owned = await Ownership.IsOwnedAsync(Number);

        // Assert
        Assert.True(owned.Value);
        Assert.Equal(Number, Query(_requests[1], "PhoneNumber"));
    }

    [Fact]
    public async Task IsOwnedAsync_NeitherList_IsNotOwned()
    {
        // Arrange
        Answer("IncomingPhoneNumbers", Page("incoming_phone_numbers"));
        Answer("OutgoingCallerIds", Page("outgoing_caller_ids"));

        // Act
        var owned = await Ownership.IsOwnedAsync(Number);

        // Assert
        Assert.True(owned.IsSuccess);
        Assert.False(owned.Value);
        Assert.Equal(2, _requests.Count);
    }

    [Fact]
    public async Task IsOwnedAsync_TwilioFails_IsUnavailableNotAnException()
    {
        // Arrange
        _rest.Setup(c => c.RequestAsync(It.IsAny<Request>())).ThrowsAsync(new ApiConnectionException("connection refused"));

        // Act
        var owned = await Ownership.IsOwnedAsync(Number);

        // Assert
        Assert.Equal(FailureKind.Unavailable, owned.Failure?.Kind);
        Assert.Equal("telephony-unavailable", owned.Failure?.Code);
    }
}
