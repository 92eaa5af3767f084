using System.Text.Json;
using System.Text.RegularExpressions;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public partial class RbacTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("rbac");

    private static IEnumerable<JsonElement> Assignments => Module.ResourcesOfType("Microsoft.Authorization/roleAssignments");

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Microsoft.Storage/storageAccounts")] // Storage Blob Data Owner
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts")] // Storage Table Data Contributor
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts")] // Storage Queue Data Contributor
    [InlineData("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Microsoft.ServiceBus/namespaces/queues")] // Azure Service Bus Data Sender
    [InlineData("4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "Microsoft.ServiceBus/namespaces/queues")] // Azure Service Bus Data Receiver
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Microsoft.KeyVault/vaults")] // Key Vault Secrets User
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Microsoft.Insights/components")] // Monitoring Metrics Publisher
    public void Identity_HoldsRole_OnItsResource(string roleId, string scopeType)
    {
        var assignment = Assert.Single(Assignments, a => RoleIdOf(a) == roleId);
        var properties = assignment.GetProperty("properties");

        Assert.StartsWith($"[resourceId('{scopeType}'", assignment.GetProperty("scope").GetString());
        Assert.Equal("ServicePrincipal", properties.GetProperty("principalType").GetString());
        var principal = Module.Resolve(properties.GetProperty("principalId"));
        Assert.Equal("[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('name')), '2024-11-30').principalId]", principal.Text);
        Assert.Equal("identity", principal.Template.Name);
    }

    [Fact]
    public void Assignments_AreNamedFromScopePrincipalAndRole()
    {
        Assert.All(Assignments, a =>
        {
            var name = a.GetProperty("name").GetString()!;
            var scope = a.GetProperty("scope").GetString()!.TrimStart('[').TrimEnd(']');
            var principal = a.GetProperty("properties").GetProperty("principalId").GetString()!.TrimStart('[').TrimEnd(']');
            Assert.StartsWith($"[guid({scope}, {principal}, variables('", name);
        });
    }

    [Fact]
    public void AdminSecretsOfficer_IsGrantedOnlyWhenAnAdminIsGiven()
    {
        var officer = Assert.Single(Assignments, a => RoleIdOf(a) == "b86a8fe4-44ce-4948-aee5-eccb2c155cd7");

        Assert.Equal("[not(empty(parameters('adminPrincipalId')))]", officer.GetProperty("condition").GetString());
        Assert.Equal("[parameters('adminPrincipalId')]", officer.GetProperty("properties").GetProperty("principalId").GetString());
    }

    [Fact]
    public void Assignments_GrantNoOtherRoles()
    {
        string[] expected =
        [
            "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "4633458b-17de-408a-b874-0445c86b69e6",
            "3913510d-42f4-4e42-8a64-420c390055eb", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        ];

        Assert.Equal(expected.Order(), Assignments.Select(RoleIdOf).Order());
        Assert.Empty(ArmTemplate.Compiled.SelfAndDescendants
            .Where(t => t.Name != "rbac")
            .SelectMany(t => t.ResourcesOfType("Microsoft.Authorization/roleAssignments")));
    }

    private static string RoleIdOf(JsonElement assignment)
    {
        var definition = assignment.GetProperty("properties").GetProperty("roleDefinitionId").GetString()!;
        var match = RoleDefinitionFromVariable().Match(definition);
        Assert.True(match.Success, $"role definition id is not subscriptionResourceId(..., variables(...)): {definition}");
        return Module.Variable(match.Groups[1].Value).GetString()!;
    }

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', variables\('([^']+)'\)\)\]$")]
    private static partial Regex RoleDefinitionFromVariable();
}
