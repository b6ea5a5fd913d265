-- Sorting by department keeps each department's people in last-name order, and a
-- department's first page by last name is read from this index in order rather than
-- sorting every match.
ALTER TABLE users
    DROP INDEX users_sort_department,
    ADD INDEX users_sort_department (department, last_name, id);
