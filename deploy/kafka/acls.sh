#!/bin/sh
# kafka-init: create the topics and the ACLs of acls.txt, as the broker's admin principal.
set -eu
B=kafka:9094
C=/tmp/admin.properties
cat > "$C" <<PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$KAFKA_ADMIN_PASSWORD";
ssl.truststore.type=PEM
ssl.truststore.location=/etc/kafka/certs/ca.pem
PROPS
for t in integriteit.meldpunt.v1 integriteit.vertrouwenspersonen.v1 integriteit.klachten.v1 \
  kmar.bps.v1 ecld.opleidingen.v1 integriteit.audit.v1 integriteit.dlq.v1 \
  integriteit.herpublicatie.v1; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server $B --command-config "$C" --create \
    --if-not-exists --topic "$t" --partitions "${KAFKA_PARTITIONS:-6}" --replication-factor 1
done
grep -v '^#' /etc/kafka/acls.txt | while read -r principal operation resource name; do
  [ -n "$principal" ] || continue
  /opt/kafka/bin/kafka-acls.sh --bootstrap-server $B --command-config "$C" --add \
    --allow-principal "User:$principal" --operation "$operation" "--$resource" "$name"
done
