using System.Text.Json;
using System.Text.RegularExpressions;
using Playbooks.Infra.Tests.Arm;

namespace Playbooks.Infra.Tests.Bicep;

public partial class RbacTests
{
    private static readonly ArmTemplate Module = ArmTemplate.Compiled.Module("rbac");

    private static IEnumerable<JsonElement> Assignments => Module.ResourcesOfType("Microsoft.Authorization/roleAssignments");

    [Theory]
    [InlineData("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Microsoft.Storage/storageAccounts/blobServices/containers")] // Storage Blob Data Contributor
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Microsoft.Storage/storageAccounts")] // Storage Table Data Contributor
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Microsoft.Storage/storageAccounts")] // Storage Queue Data Contributor
    [InlineData("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Microsoft.ServiceBus/namespaces/queues")] // Azure Service Bus Data Sender
    [InlineData("4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "Microsoft.ServiceBus/namespaces/queues")] // Azure Service Bus Data Receiver
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

    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    private static string Scope(JsonElement assignment) => assignment.GetProperty("scope").GetString()!;

    [Fact]
    public void BlobRole_IsScopedToContainers_NeverTheStorageAccount()
    {
        var blobRoles = Assignments.Where(a => RoleIdOf(a) is StorageBlobDataContributor or "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
            or "ba92f5b4-2d11-453d-a403-e96b0029c9fe" or "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1").ToList();

        var blobRole = Assert.Single(blobRoles);
        Assert.Equal(
            "[resourceId('Microsoft.Storage/storageAccounts/blobServices/containers', parameters('storageAccountName'), 'default', parameters('blobContainerNames')[copyIndex()])]",
            Scope(blobRole));
    }

    [Fact]
    public void BlobContainers_AreTheDeploymentContainerTheHostsOwnAndTheGreetings()
    {
        var passed = Module.ResolveParameter("blobContainerNames");

        Assert.Equal("[concat(createArray(variables('deploymentContainerName')), variables('hostContainerNames'), variables('appContainerNames'))]", passed.Text);
        Assert.Equal(["greetings"], ArmTemplate.Compiled.Variable("appContainerNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("deployment-package", ArmTemplate.Compiled.Variable("deploymentContainerName").GetString());
        Assert.Equal(["azure-webjobs-hosts", "azure-webjobs-secrets"], ArmTemplate.Compiled.Variable("hostContainerNames").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void TwilioVault_AppReadsOnlyItsTwilioSecrets_NotTheWholeVault()
    {
        var onTwilioVault = Assignments.Where(a => Scope(a).Contains("parameters('keyVaultName')", StringComparison.Ordinal)).ToList();

        var secretsUser = Assert.Single(onTwilioVault);
        Assert.Equal(KeyVaultSecretsUser, RoleIdOf(secretsUser));
        Assert.Equal("[resourceId('Microsoft.KeyVault/vaults/secrets', parameters('keyVaultName'), parameters('twilioSecretNames')[copyIndex()])]", Scope(secretsUser));
        var secretNames = ArmTemplate.Compiled.Module("keyvault").Root.GetProperty("outputs").GetProperty("secretNames").GetProperty("value").ToString();
        Assert.Equal(["twilio-auth-token", "twilio-api-key-secret"],
            JsonDocument.Parse(secretNames).RootElement.EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public void CrmVault_AppAndTheAdminAreSecretsOfficers_TheAppOnlyThere()
    {
        var onCrmVault = Assignments.Where(a => Scope(a) == "[resourceId('Microsoft.KeyVault/vaults', parameters('crmKeyVaultName'))]").ToList();

        Assert.Equal([KeyVaultSecretsOfficer, KeyVaultSecretsOfficer], onCrmVault.Select(RoleIdOf));
        var app = Assert.Single(onCrmVault, a => a.GetProperty("properties").GetProperty("principalId").GetString() == "[parameters('principalId')]");
        Assert.Equal("ServicePrincipal", app.GetProperty("properties").GetProperty("principalType").GetString());
        var appOfficer = Assert.Single(Assignments, a => RoleIdOf(a) == KeyVaultSecretsOfficer
            && a.GetProperty("properties").GetProperty("principalId").GetString() == "[parameters('principalId')]");
        Assert.Equal(Scope(app), Scope(appOfficer));
        Assert.Equal("[format('{0}crm-{1}', variables('abbrs').keyVaultVaults, variables('resourceToken'))]", Module.ResolveParameter("crmKeyVaultName").Text);
        Assert.Equal("[format('{0}{1}', variables('abbrs').keyVaultVaults, variables('resourceToken'))]", Module.ResolveParameter("keyVaultName").Text);
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
        var officer = Assert.Single(Assignments, a => RoleIdOf(a) == KeyVaultSecretsOfficer
            && a.GetProperty("properties").GetProperty("principalId").GetString() == "[parameters('adminPrincipalId')]");

        Assert.Equal("[not(empty(parameters('adminPrincipalId')))]", officer.GetProperty("condition").GetString());
        Assert.Equal("[parameters('adminPrincipalId')]", officer.GetProperty("properties").GetProperty("principalId").GetString());
    }

    [Fact]
    public void Assignments_GrantNoOtherRoles()
    {
        string[] expected =
        [
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
            "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "4633458b-17de-408a-b874-0445c86b69e6",
            "b86a8fe4-44ce-4948-aee5-eccb2c155cd7", "3913510d-42f4-4e42-8a64-420c390055eb", "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
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
