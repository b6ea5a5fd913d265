-- Sorting by department keeps each department's people in last-name order, and a
-- department's first page by last name is read from this index in order rather than
-- sorting every match.
DROP INDEX users_sort_department;
CREATE INDEX users_sort_department ON users (department NULLS FIRST, last_name, id);
