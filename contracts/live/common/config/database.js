'use strict';

// sqlite through better-sqlite3; every boot gets a fresh DB file (DATABASE_FILENAME, set by the harness).
module.exports = ({ env }) => ({
  connection: {
    client: 'sqlite',
    connection: {
      filename: env('DATABASE_FILENAME'),
    },
    useNullAsDefault: true,
  },
});
