#!/bin/sh
# The broker: KRaft, one node; clients only over SASL_SSL (SCRAM-SHA-512), ACLs enforced,
# nothing allowed without an ACL. SCRAM credentials are written at format time (KRaft).
set -eu
P=/tmp/server.properties
cat > "$P" <<PROPS
node.id=1
process.roles=broker,controller
controller.quorum.voters=1@localhost:9093
listeners=SASL_SSL://:9094,CONTROLLER://localhost:9093
advertised.listeners=SASL_SSL://kafka:9094
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
ssl.keystore.type=PEM
ssl.keystore.location=/etc/kafka/certs/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=/etc/kafka/certs/ca.pem
ssl.client.auth=none
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin
allow.everyone.if.no.acl.found=false
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
log.dirs=/var/lib/kafka/data
PROPS
cat > /tmp/admin.properties <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
ssl.truststore.type=PEM
ssl.truststore.location=/etc/kafka/certs/ca.pem
PROPS
scram() { echo "SCRAM-SHA-512=[name=$1,password=$2]"; }
/opt/kafka/bin/kafka-storage.sh format --ignore-formatted -c "$P" -t "$KAFKA_CLUSTER_ID" \
  --add-scram "$(scram admin "$KAFKA_ADMIN_PASSWORD")" \
  --add-scram "$(scram meldpunt "$MELDPUNT_KAFKA_PASSWORD")" \
  --add-scram "$(scram vertrouwenspersonen "$VERTROUWENSPERSONEN_KAFKA_PASSWORD")" \
  --add-scram "$(scram klachten "$KLACHTEN_KAFKA_PASSWORD")" \
  --add-scram "$(scram rapportage "$RAPPORTAGE_KAFKA_PASSWORD")" \
  --add-scram "$(scram kmar-bps "$KMAR_BPS_KAFKA_PASSWORD")" \
  --add-scram "$(scram ecld "$ECLD_KAFKA_PASSWORD")"
exec /opt/kafka/bin/kafka-server-start.sh "$P"
