using System.Net;
using System.Net.Http.Json;
using Playbooks.DevServer.Tests.Http;

namespace Playbooks.DevServer.Tests.PermissionGroups;

[Collection(DevServerCollection.Name)]
public sealed class PermissionGroupsApiTests(DevServerFactory server)
{
    [Fact]
    public async Task PermissionGroup_CreateReadReplaceDelete_RoundTripsWithETags()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();

        var created = await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Inside sales", allowComputer = true, allowPhone = false });
        var group = await created.JsonAsync(HttpStatusCode.Created);
        var id = group.Str("id");
        var read = await admin.GetAsync($"/api/admin/permission-groups/{id}");
        var replaced = await admin.PutAsync($"/api/admin/permission-groups/{id}", new { name = "Inside sales", allowComputer = true, allowPhone = true }, read.ETag());
        var deleted = await admin.SendAsync(HttpMethod.Delete, $"/api/admin/permission-groups/{id}", ifMatch: replaced.ETag());
        var gone = await admin.GetAsync($"/api/admin/permission-groups/{id}");

        Assert.Equal(group.Str("version"), created.ETag());
        Assert.Equal(created.ETag(), read.ETag());
        var after = await replaced.JsonAsync(HttpStatusCode.OK);
        Assert.True(after.GetProperty("allowPhone").GetBoolean());
        Assert.NotEqual(read.ETag(), replaced.ETag());
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await gone.ProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task ListGroups_ManagerOfDemoOrg_SeesTheDemoGroups()
    {
        var manager = await server.SignedInClientAsync("manager");

        var page = await (await manager.GetAsync("/api/admin/permission-groups")).JsonAsync(HttpStatusCode.OK);

        Assert.Superset(new HashSet<string> { "both-methods", "phone-only", "computer-only" }, page.Items().Select(g => g.Str("id")).ToHashSet());
    }

    [Fact]
    public async Task ListGroups_SmallPages_ReturnsContinuationTokenUntilTheLastPage()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();
        foreach (var name in new[] { "A", "B", "C" })
        {
            await (await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name, allowComputer = false, allowPhone = true })).JsonAsync(HttpStatusCode.Created);
        }

        var first = await (await admin.GetAsync("/api/admin/permission-groups?pageSize=2")).JsonAsync(HttpStatusCode.OK);
        var token = Uri.EscapeDataString(first.Str("continuationToken"));
        var second = await (await admin.GetAsync($"/api/admin/permission-groups?pageSize=2&continuationToken={token}")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, first.Items().Count);
        Assert.Single(second.Items());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("continuationToken").ValueKind);
        Assert.Equal(3, first.Items().Concat(second.Items()).Select(g => g.Str("name")).Distinct().Count());
    }

    [Fact]
    public async Task PermissionGroups_Rep_Returns403()
    {
        var rep = await server.SignedInClientAsync("rep-both");

        var list = await rep.GetAsync("/api/admin/permission-groups");
        var create = await rep.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Mine", allowComputer = true, allowPhone = true });
        var get = await rep.GetAsync("/api/admin/permission-groups/phone-only");
        var put = await rep.PutAsync("/api/admin/permission-groups/phone-only", new { name = "Phone only", allowComputer = true, allowPhone = true });
        var delete = await rep.DeleteAsync("/api/admin/permission-groups/phone-only");

        await list.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await create.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await get.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await put.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
        await delete.ProblemAsync(HttpStatusCode.Forbidden, "role-required");
    }

    [Fact]
    public async Task PermissionGroups_AdminOfAnotherOrg_Gets404ForDemoGroupAndCannotChangeIt()
    {
        var outsider = await server.SignedInClientAsync("admin-x", "other-org-groups", "Admin");
        var demoAdmin = await server.SignedInClientAsync("admin");
        var before = (await demoAdmin.GetAsync("/api/admin/permission-groups/phone-only")).ETag();

        var get = await outsider.GetAsync("/api/admin/permission-groups/phone-only");
        var put = await outsider.PutAsync("/api/admin/permission-groups/phone-only", new { name = "Taken over", allowComputer = true, allowPhone = true });
        var delete = await outsider.DeleteAsync("/api/admin/permission-groups/phone-only");
        var list = await (await outsider.GetAsync("/api/admin/permission-groups")).JsonAsync(HttpStatusCode.OK);

        await get.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        await put.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        await delete.ProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Empty(list.Items());
        Assert.Equal(before, (await demoAdmin.GetAsync("/api/admin/permission-groups/phone-only")).ETag());
    }

    [Fact]
    public async Task PutGroup_SameETagTwice_SecondReturns412AndKeepsTheFirstEdit()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();
        var created = await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Team", allowComputer = false, allowPhone = true });
        var id = (await created.JsonAsync(HttpStatusCode.Created)).Str("id");

        var first = await admin.PutAsync($"/api/admin/permission-groups/{id}", new { name = "Team", allowComputer = true, allowPhone = true }, created.ETag());
        var second = await admin.PutAsync($"/api/admin/permission-groups/{id}", new { name = "Team", allowComputer = false, allowPhone = false }, created.ETag());

        await first.JsonAsync(HttpStatusCode.OK);
        var problem = await second.ProblemAsync(HttpStatusCode.PreconditionFailed, "stale-edit");
        Assert.Contains("Reload", problem.Str("detail"));
        var stored = await (await admin.GetAsync($"/api/admin/permission-groups/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.True(stored.GetProperty("allowComputer").GetBoolean());
    }

    [Fact]
    public async Task DeleteGroup_StaleETag_Returns412AndKeepsTheGroup()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();
        var created = await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Old", allowComputer = false, allowPhone = true });
        var id = (await created.JsonAsync(HttpStatusCode.Created)).Str("id");
        await (await admin.PutAsync($"/api/admin/permission-groups/{id}", new { name = "Renamed", allowComputer = false, allowPhone = true }, created.ETag()))
            .JsonAsync(HttpStatusCode.OK);

        var response = await admin.SendAsync(HttpMethod.Delete, $"/api/admin/permission-groups/{id}", ifMatch: created.ETag());

        await response.ProblemAsync(HttpStatusCode.PreconditionFailed, "stale-edit");
        Assert.Equal("Renamed", (await (await admin.GetAsync($"/api/admin/permission-groups/{id}")).JsonAsync(HttpStatusCode.OK)).Str("name"));
    }

    [Fact]
    public async Task DeleteGroup_WithMembers_Returns409WithMemberCount()
    {
        var org = await TestOrg.CreateAsync(server);
        await org.RepAsync("rep-1");
        await org.RepAsync("rep-2");
        var admin = await org.AdminAsync();
        var id = (await (await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Busy", allowComputer = true, allowPhone = true }))
            .JsonAsync(HttpStatusCode.Created)).Str("id");
        foreach (var rep in new[] { "rep-1", "rep-2" })
        {
            await (await admin.PatchAsync($"/api/admin/people/{rep}", new { permissionGroupId = id })).JsonAsync(HttpStatusCode.OK);
        }

        var response = await admin.DeleteAsync($"/api/admin/permission-groups/{id}");

        var problem = await response.ProblemAsync(HttpStatusCode.Conflict, "group-has-members");
        Assert.Equal(2, problem.GetProperty("memberCount").GetInt32());
        Assert.Contains("2 members", problem.Str("detail"));
        await (await admin.GetAsync($"/api/admin/permission-groups/{id}")).JsonAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"name":"","allowComputer":true,"allowPhone":true}""", "name")]
    [InlineData("""{"name":"   ","allowComputer":true,"allowPhone":true}""", "name")]
    [InlineData("""{"allowComputer":true,"allowPhone":true}""", "name")]
    [InlineData("""{"name":"Ok","allowPhone":true}""", "allowComputer")]
    [InlineData("""{"name":"Ok","allowComputer":true}""", "allowPhone")]
    [InlineData("""{"name":"Ok","allowComputer":"yes","allowPhone":true}""", "allowComputer")]
    [InlineData("""{"name":"Ok","allowComputer":true,"allowPhone":true,"allowFax":true}""", "allowFax")]
    [InlineData("""[1,2]""", "body")]
    public async Task CreateGroup_BadInput_Returns400NamingTheField(string body, string field)
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();

        var response = await admin.SendAsync(HttpMethod.Post, "/api/admin/permission-groups", body);

        var problem = await response.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(field, problem.Str("field"));
    }

    [Fact]
    public async Task CreateGroup_OversizedName_Returns400NamingName()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = new string('x', 101), allowComputer = true, allowPhone = true });

        Assert.Equal("name", (await response.ProblemAsync(HttpStatusCode.BadRequest, "invalid-field")).Str("field"));
    }

    [Fact]
    public async Task CreateGroup_NameTakenIgnoringCase_Returns409NamingName()
    {
        var admin = await (await TestOrg.CreateAsync(server)).AdminAsync();
        await (await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "Closers", allowComputer = true, allowPhone = true })).JsonAsync(HttpStatusCode.Created);

        var response = await admin.PostAsJsonAsync("/api/admin/permission-groups", new { name = "closers", allowComputer = true, allowPhone = true });

        Assert.Equal("name", (await response.ProblemAsync(HttpStatusCode.Conflict, "group-name-taken")).Str("field"));
    }
}
