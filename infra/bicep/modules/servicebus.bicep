@description('Name of the Service Bus namespace.')
param name string
param location string
param tags object
@description('Queue the Twilio status webhook writes to and the activity writer drains.')
param queueName string
@description('How long Service Bus remembers message ids to drop duplicate status callbacks (ISO 8601 duration).')
param duplicateDetectionWindow string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }

  resource queue 'queues' = {
    name: queueName
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
      maxDeliveryCount: 10
      // The writer drains in batches within a 55 s budget per timer run, so one minute covers a batch it settles.
      lockDuration: 'PT1M'
      deadLetteringOnMessageExpiration: true
      defaultMessageTimeToLive: 'P14D'
      requiresSession: false
      enablePartitioning: false
    }
  }
}

output name string = namespace.name
output queueName string = namespace::queue.name
// serviceBusEndpoint is https://<ns>.servicebus.windows.net:443/; the SDK wants the bare host name.
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
