#!/usr/bin/perl
# postfwd logs only to syslog, and the container has no syslog daemon: this listens on
# /dev/log and appends each message (without its <priority> prefix) to the file given, which
# the entrypoint follows onto the container's output like Postfix's and Dovecot's logs.
use strict;
use warnings;
use IO::Socket::UNIX;
use Socket qw(SOCK_DGRAM);

my $file = shift or die "usage: syslog-to-file.pl FILE\n";
unlink '/dev/log';
my $socket = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => '/dev/log') or die "cannot listen on /dev/log: $!\n";
chmod 0666, '/dev/log';
open(my $out, '>>', $file) or die "cannot write $file: $!\n";
$out->autoflush(1);
while (defined $socket->recv(my $message, 16384)) {
  $message =~ s/^<\d+>//;
  $message =~ s/\s+$//;
  print $out "$message\n";
}
