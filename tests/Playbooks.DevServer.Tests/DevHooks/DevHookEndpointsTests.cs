using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Playbooks.Calling.Activity;
using Playbooks.Calling.People;

namespace Playbooks.DevServer.Tests.DevHooks;

/// <summary>The development-only shortcuts the browser tests use; absent anywhere else.</summary>
[Collection(DevServerCollection.Name)]
public sealed class DevHookEndpointsTests(DevServerFactory server)
{
    private readonly string orgId = $"hook-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task AgentPhone_KnownPerson_SetsAVerifiedAgentPhone()
    {
        // Arrange
        var people = server.Services.GetRequiredService<PersonStore>();
        await people.UpsertAsync(new Person { OrgId = orgId, UserId = "rep-1", DisplayName = "Rep One", AgentPhoneNumber = "+15005550009" });

        // Act
        var response = await server.CreateClient().PutAsJsonAsync("/dev/people/rep-1/agent-phone", new { orgId, agentPhoneNumber = "+12015550102" });

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var person = await people.GetAsync(orgId, "rep-1");
        Assert.Equal(("+12015550102", true), (person!.AgentPhoneNumber, person.AgentPhoneVerified));
    }

    [Theory]
    [InlineData("12015550102")]
    [InlineData("+1 201 555 0102")]
    [InlineData("")]
    public async Task AgentPhone_NotE164_Returns400NamingTheField(string number)
    {
        var response = await server.CreateClient().PutAsJsonAsync("/dev/people/rep-1/agent-phone", new { orgId, agentPhoneNumber = number });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("agentPhoneNumber", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task AgentPhone_UnknownPerson_Returns404()
    {
        var response = await server.CreateClient().PutAsJsonAsync("/dev/people/nobody/agent-phone", new { orgId, agentPhoneNumber = "+12015550102" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DeadLetter_OrgsRep_IsListedForTheOrgsAdminAsKeptFailing()
    {
        // Act
        var response = await server.CreateClient().PostAsJsonAsync("/dev/call-events/dead-letter", new { orgId, userId = "rep-1" });

        // Assert
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var admin = await server.SignedInClientAsync("admin-1", orgId, "Admin");
        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/dead-letters");
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(created.GetProperty("prospectCallSid").GetString(), item.GetProperty("callSid").GetString());
        Assert.Equal(ActivityWriter.MaxDeliveryExceeded, item.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task DevHooks_OutsideDevelopment_AreNotServed()
    {
        await using var production = new ProductionDevServerFactory();
        var client = production.CreateClient();

        var deadLetter = await client.PostAsJsonAsync("/dev/call-events/dead-letter", new { orgId });
        var agentPhone = await client.PutAsJsonAsync("/dev/people/rep-1/agent-phone", new { orgId, agentPhoneNumber = "+12015550102" });

        Assert.Equal(HttpStatusCode.NotFound, deadLetter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, agentPhone.StatusCode);
    }
}
