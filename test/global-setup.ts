/**
 * Integration tests need the real PostgreSQL and the real Kafka broker. `npm test` provides both
 * (scripts/test-all.mjs starts the local broker and a throwaway database when they are not given).
 */
export default function setup(): void {
  const missing = ['DATABASE_URL', 'KAFKA_BROKERS'].filter((k) => !process.env[k]);
  if (missing.length > 0) {
    throw new Error(
      `integration tests need ${missing.join(' and ')}: run them through \`npm test\`, ` +
        'or start Kafka with `npm run kafka:start` and point DATABASE_URL at a PostgreSQL database',
    );
  }
}
