@description('Name of the Service Bus namespace that carries call events.')
param serviceBusNamespaceName string
@description('The call-event queue.')
param queueName string
@description('Active messages above which the queue counts as backed up (the writer is not keeping up or storage is down).')
param backlogThreshold int = 500
param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

// Any dead letter is a call that has not reached its activity or the CRM; the admin page replays it.
resource deadLetters 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'call-events-dead-letters'
  location: 'global'
  tags: tags
  properties: {
    description: 'Call events are in the dead-letter queue. GET /api/admin/dead-letters shows why; POST /api/admin/dead-letters/replay replays them.'
    severity: 2
    enabled: true
    scopes: [namespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLetteredCallEvents'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: [queueName] }]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
  }
}

// Service Bus has no age-of-oldest-message metric; a backlog that stays high for 15 minutes is the same signal.
resource backlog 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: 'call-events-backlog'
  location: 'global'
  tags: tags
  properties: {
    description: 'The call-event queue has stayed backed up for 15 minutes: events are waiting (storage outage or a stalled writer).'
    severity: 2
    enabled: true
    scopes: [namespace.id]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'CallEventBacklog'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'ActiveMessages'
          dimensions: [{ name: 'EntityName', operator: 'Include', values: [queueName] }]
          operator: 'GreaterThan'
          threshold: backlogThreshold
          timeAggregation: 'Minimum'
        }
      ]
    }
  }
}

output alertNames array = [deadLetters.name, backlog.name]
