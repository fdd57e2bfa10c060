# Lets the host send and receive live migrations.
Enable-VMMigration
