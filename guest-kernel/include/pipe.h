/* SPDX-License-Identifier: MIT */
/*
 * pipe.h - pipes (pipe, pipe2): a ring buffer between two struct file.
 * Owns:    the pipe API and its sizes.
 * Touches: nothing (declarations).  Implemented by kernel/pipe.c.
 */
#ifndef PIPE_H
#define PIPE_H

#include <stdint.h>

#define PIPE_PAGES 16                   /* Linux's default: 64 KiB */
#define PIPE_SIZE  (PIPE_PAGES * 4096UL)
#define PIPE_BUF   4096                 /* writes up to this are atomic */

struct file;
struct process;
struct linux_stat;

/* Two new open files, the read end and the write end (flags: O_NONBLOCK
 * kept); 0 or -ENOMEM. */
long pipe_new(int flags, struct file **rend, struct file **wend);
/* The last reference to an end went (file_put). */
void pipe_release(struct file *f);
/* read/write on an end: bytes, 0 (end of file), or -errno. */
long pipe_read(struct process *p, struct file *f, uint64_t buf, uint64_t len);
long pipe_write(struct process *p, struct file *f, uint64_t buf, uint64_t len);
/* poll: POLLIN/POLLHUP (read end), POLLOUT/POLLERR (write end). */
unsigned int pipe_poll_events(const struct file *f);
int pipe_nread(const struct file *f);   /* FIONREAD */
void pipe_stat(const struct file *f, struct linux_stat *st);
/* open() of a FIFO inode (flags as open's, O_CLOEXEC left out): an end of
 * its pipe, made at its first open; waits for the other end as Linux.  0
 * with *f, or -ENXIO, -EINTR, -ENOMEM. */
struct inode;
long pipe_open_fifo(struct inode *ino, int flags, struct file **f);

#endif /* PIPE_H */
