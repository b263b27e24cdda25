-- A DVD rental store in the style of the Pagila sample database: an enum with values that are no
-- Python names ('PG-13', 'NC-17'), a domain over integer, arrays, a full-text column, money as
-- numeric, smallint keys, timestamps with and without time zone, bytea, link and non-link composite
-- keys, a table without a primary key, views and a trigger that keeps last_update. 17 tables.

CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);

CREATE FUNCTION last_updated() RETURNS trigger AS $$
BEGIN
    NEW.last_update = CURRENT_TIMESTAMP;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TABLE actor (
    actor_id serial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    last_update timestamp NOT NULL DEFAULT now()
);
CREATE INDEX idx_actor_last_name ON actor (last_name);

CREATE TABLE category (
    category_id serial PRIMARY KEY,
    name text NOT NULL,
    last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE language (
    language_id smallserial PRIMARY KEY,
    name char(20) NOT NULL,
    last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE film (
    film_id serial PRIMARY KEY,
    title text NOT NULL,
    description text,
    release_year year,
    language_id smallint NOT NULL REFERENCES language (language_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    rental_duration smallint NOT NULL DEFAULT 3,
    rental_rate numeric(4, 2) NOT NULL DEFAULT 4.99,
    length smallint,
    replacement_cost numeric(5, 2) NOT NULL DEFAULT 19.99,
    rating mpaa_rating DEFAULT 'G',
    last_update timestamp NOT NULL DEFAULT now(),
    special_features text[],
    fulltext tsvector
);
CREATE INDEX film_fulltext_idx ON film USING gist (fulltext);
CREATE INDEX idx_title ON film (title);
CREATE TRIGGER film_last_update BEFORE UPDATE ON film FOR EACH ROW EXECUTE FUNCTION last_updated();

-- A pure link table.
CREATE TABLE film_actor (
    actor_id integer NOT NULL REFERENCES actor (actor_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    film_id integer NOT NULL REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    PRIMARY KEY (actor_id, film_id)
);
CREATE INDEX idx_fk_film_id ON film_actor (film_id);

-- A composite key with a column of its own: no link table, not served.
CREATE TABLE film_category (
    film_id integer NOT NULL REFERENCES film (film_id),
    category_id integer NOT NULL REFERENCES category (category_id),
    last_update timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (film_id, category_id)
);

CREATE TABLE country (
    country_id serial PRIMARY KEY,
    country text NOT NULL,
    last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE city (
    city_id serial PRIMARY KEY,
    city text NOT NULL,
    country_id integer NOT NULL REFERENCES country (country_id),
    last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE address (
    address_id serial PRIMARY KEY,
    address text NOT NULL,
    address2 text,
    district text NOT NULL,
    city_id integer NOT NULL REFERENCES city (city_id),
    postal_code text,
    phone text NOT NULL,
    last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE store (
    store_id serial PRIMARY KEY,
    address_id integer NOT NULL REFERENCES address (address_id),
    opened_on date NOT NULL DEFAULT CURRENT_DATE,
    last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE staff (
    staff_id serial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    address_id integer NOT NULL REFERENCES address (address_id),
    email text,
    store_id integer NOT NULL REFERENCES store (store_id),
    active boolean NOT NULL DEFAULT true,
    username text NOT NULL UNIQUE,
    password text,
    last_update timestamp NOT NULL DEFAULT now(),
    picture bytea
);

CREATE TABLE customer (
    customer_id serial PRIMARY KEY,
    store_id integer NOT NULL REFERENCES store (store_id),
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text,
    address_id integer NOT NULL REFERENCES address (address_id),
    activebool boolean NOT NULL DEFAULT true,
    create_date date NOT NULL DEFAULT CURRENT_DATE,
    last_update timestamp with time zone DEFAULT now(),
    active integer
);

CREATE TABLE inventory (
    inventory_id serial PRIMARY KEY,
    film_id integer NOT NULL REFERENCES film (film_id),
    store_id integer NOT NULL REFERENCES store (store_id),
    last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE rental (
    rental_id serial PRIMARY KEY,
    rental_date timestamp with time zone NOT NULL,
    inventory_id integer NOT NULL REFERENCES inventory (inventory_id),
    customer_id integer NOT NULL REFERENCES customer (customer_id),
    return_date timestamp with time zone,
    staff_id integer NOT NULL REFERENCES staff (staff_id),
    last_update timestamp with time zone NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX idx_unq_rental_rental_date_inventory_id_customer_id
    ON rental (rental_date, inventory_id, customer_id);
-- The rentals still out, by customer: a partial index.
CREATE INDEX idx_rental_out ON rental (customer_id, rental_date) WHERE return_date IS NULL;

CREATE TABLE payment (
    payment_id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customer (customer_id),
    staff_id integer NOT NULL REFERENCES staff (staff_id),
    rental_id integer REFERENCES rental (rental_id) ON DELETE SET NULL,
    amount numeric(5, 2) NOT NULL,
    payment_date timestamp with time zone NOT NULL
);

-- Opening hours: client-chosen ids (the weekday), a time of day, an interval.
CREATE TABLE opening_hours (
    weekday smallint PRIMARY KEY,
    opens time NOT NULL,
    closes time NOT NULL,
    break_length interval
);

-- No primary key: not served.
CREATE TABLE rental_log (
    logged_at timestamptz NOT NULL DEFAULT now(),
    rental_id integer,
    note text
);

CREATE VIEW film_list AS
    SELECT f.film_id AS fid, f.title, c.name AS category, f.rental_rate AS price, f.length, f.rating
    FROM film f LEFT JOIN film_category fc ON fc.film_id = f.film_id
    LEFT JOIN category c ON c.category_id = fc.category_id;
CREATE VIEW sales_by_store AS
    SELECT s.store_id, sum(p.amount) AS total_sales
    FROM payment p JOIN staff st ON st.staff_id = p.staff_id JOIN store s ON s.store_id = st.store_id
    GROUP BY s.store_id;

INSERT INTO actor (first_name, last_name) VALUES
    ('PENELOPE', 'GUINESS'), ('NICK', 'WAHLBERG'), ('ED', 'CHASE'), ('JENNIFER', 'DAVIS');
INSERT INTO category (name) VALUES ('Action'), ('Animation'), ('Children');
INSERT INTO language (name) VALUES ('English'), ('Italian'), ('Japanese');
INSERT INTO film (title, description, release_year, language_id, length, rating, special_features) VALUES
    ('ACADEMY DINOSAUR', 'A Epic Drama of a Feminist', 2006, 1, 86, 'PG', '{"Deleted Scenes","Behind the Scenes"}'),
    ('ACE GOLDFINGER', 'A Astounding Epistle', 2006, 1, 48, 'G', '{Trailers}'),
    ('ADAPTATION HOLES', 'A Astounding Reflection', 2006, 2, 50, 'NC-17', NULL),
    ('AFFAIR PREJUDICE', 'A Fanciful Documentary', 2006, 1, 117, 'PG-13', NULL);
UPDATE film SET fulltext = to_tsvector('english', title || ' ' || coalesce(description, ''));
INSERT INTO film_actor VALUES (1, 1), (1, 2), (2, 3), (3, 1), (4, 4);
INSERT INTO film_category (film_id, category_id) VALUES (1, 1), (2, 2), (3, 3);
INSERT INTO country (country) VALUES ('Canada'), ('Australia');
INSERT INTO city (city, country_id) VALUES ('Lethbridge', 1), ('Woodridge', 2);
INSERT INTO address (address, district, city_id, postal_code, phone) VALUES
    ('47 MySakila Drive', 'Alberta', 1, NULL, '14033335568'),
    ('28 MySQL Boulevard', 'QLD', 2, NULL, '6172235589'),
    ('1913 Hanoi Way', 'Nagasaki', 1, '35200', '28303384290');
INSERT INTO store (address_id) VALUES (1), (2);
INSERT INTO staff (first_name, last_name, address_id, email, store_id, username, password) VALUES
    ('Mike', 'Hillyer', 1, 'Mike.Hillyer@sakilastaff.com', 1, 'Mike', '8cb2237d0679ca88db6464eac60da96345513964'),
    ('Jon', 'Stephens', 2, 'Jon.Stephens@sakilastaff.com', 2, 'Jon', NULL);
INSERT INTO customer (store_id, first_name, last_name, email, address_id, active) VALUES
    (1, 'MARY', 'SMITH', 'MARY.SMITH@sakilacustomer.org', 3, 1),
    (1, 'PATRICIA', 'JOHNSON', 'PATRICIA.JOHNSON@sakilacustomer.org', 3, 1),
    (2, 'LINDA', 'WILLIAMS', NULL, 3, 0);
INSERT INTO inventory (film_id, store_id) VALUES (1, 1), (1, 2), (2, 1), (3, 2);
INSERT INTO rental (rental_date, inventory_id, customer_id, return_date, staff_id) VALUES
    ('2022-05-24 22:53:30+00', 1, 1, '2022-05-26 22:04:30+00', 1),
    ('2022-05-24 22:54:33+00', 3, 2, NULL, 1);
INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) VALUES
    (1, 1, 1, 2.99, '2022-05-25 11:30:37+00'), (2, 1, 2, 0.99, '2022-05-28 10:35:23+00');
INSERT INTO opening_hours VALUES (1, '09:00', '21:00', '00:30'), (2, '09:00', '21:00', NULL);
