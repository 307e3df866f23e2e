// Generates the Prisma client offline (placeholder until the schema exists).
process.exit(0);
