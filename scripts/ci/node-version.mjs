console.log(`scripts run on Node ${process.version} (${process.execPath})`);
